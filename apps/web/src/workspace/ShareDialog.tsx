import { useMemo, useState } from 'react';
import { viewLinkHash } from '../deepLink/index.ts';
import { closeDialogAction, selectBaseline, selectFiles, useStore } from '../store/index.ts';
import { copyText, DialogShell } from '../ui/index.ts';
import { encodeShareFragment, MAX_SHARE_BYTES } from './shareLink.ts';

/** Raw text past which compressing is pointless: YAML does not shrink 30-fold. */
const HOPELESS_TEXT_BYTES = 30 * MAX_SHARE_BYTES;

/**
 * A link that carries the workspace in its fragment (compressed): opening it restores the
 * documents and their baseline, and nothing is uploaded anywhere. Too big a workspace is refused
 * with its size.
 */
export function ShareDialog() {
  const files = useStore(selectFiles);
  const baseline = useStore(selectBaseline);
  const closeDialog = useStore(closeDialogAction);
  const [copied, setCopied] = useState<boolean>();
  const result = useMemo(() => {
    const size = files.reduce((n, f) => n + f.text.length, 0);
    if (size > HOPELESS_TEXT_BYTES) {
      return {
        ok: false as const,
        message: `This workspace is too big for a link (${Math.round(size / 1024)} KB of YAML; a link carries at most ${MAX_SHARE_BYTES / 1024} KB compressed). Export the policies as a zip instead.`,
      };
    }
    return encodeShareFragment({
      files: files.map((f) => ({ path: f.path, text: f.text })),
      baseline: baseline.map((f) => ({ path: f.path, text: f.text })),
    });
  }, [files, baseline]);
  // On request the view (selection, filters, panels) rides along, so the link opens on it.
  const [withView, setWithView] = useState(false);
  const fragment = `#${result.ok ? result.fragment : ''}`;
  const view = withView ? viewLinkHash(useStore.getState(), fragment) : fragment;
  const url = result.ok ? `${location.origin}${location.pathname}${location.search}${view}` : '';
  return (
    <DialogShell title="Share link" testId="authoring.share">
      {result.ok ? (
        <>
          <p>
            The link holds the {files.length} document{files.length === 1 ? '' : 's'} and their baseline,
            compressed ({(result.size / 1024).toFixed(1)} KB). Nothing is uploaded: whoever opens it gets the
            workspace from the link itself.
          </p>
          <label className="stacked">
            <span>Link</span>
            <input readOnly value={url} onFocus={(e) => e.target.select()} data-testid="share.url" />
          </label>
          <label className="inline">
            <input type="checkbox" checked={withView} onChange={(e) => setWithView(e.target.checked)} />
            Open on the current view (selection, filters, panels)
          </label>
          <div className="button-group">
            <button type="button" className="primary" onClick={() => void copyText(url).then(setCopied)}>
              Copy link
            </button>
            {copied !== undefined && (
              <output aria-live="polite">
                {copied ? 'Copied.' : 'The browser refused the clipboard: select the link and copy it.'}
              </output>
            )}
          </div>
        </>
      ) : (
        <p role="alert" className="error" data-testid="share.refused">
          {result.message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={closeDialog}>
          Close
        </button>
      </div>
    </DialogShell>
  );
}
