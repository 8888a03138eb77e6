// The public face of migrate/: other folders import from here, never from its files.
export { MIGRATE_LABEL, MigrateDialog } from './MigrateDialog.tsx';
