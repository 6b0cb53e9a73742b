import type { WidgetPalette } from './contrast.js';

/**
 * The widget's stylesheet, inside its shadow root: the host page's CSS cannot reach in and ours
 * cannot leak out. `all: initial` on the host also stops inherited fonts and colours. Sizes are
 * in px, not rem, because rem follows the host page's root font size (often 62.5%). `!important`
 * on :host is what makes the reset win over the page's rules for the host element itself (for
 * important declarations the shadow tree's win; for normal ones the page's). Text colours
 * are ≥ 4.5:1 on their backgrounds; the brand colours come checked (contrast.ts).
 */
export function widgetCss(palette: WidgetPalette): string {
  return `
:host { all: initial !important; }
.vw {
  --vw-primary: ${palette.primary}; --vw-on-primary: ${palette.onPrimary}; --vw-accent: ${palette.accent};
  --vw-text: #1f2933; --vw-muted: #4a5563; --vw-border: #c3cdd8; --vw-field: #6b7785; --vw-danger: #a3221b;
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000;
  display: flex; flex-direction: column; align-items: flex-end; gap: 12px;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif;
  font-size: 15px; line-height: 1.45; color: var(--vw-text); color-scheme: light; text-align: left;
}
.vw[data-position='bottom-left'] { right: auto; left: 20px; align-items: flex-start; }
.vw *, .vw *::before, .vw *::after { box-sizing: border-box; }
.vw button, .vw input, .vw select, .vw textarea { font: inherit; }
.vw button { cursor: pointer; border: 2px solid transparent; }
.vw :focus-visible { outline: 3px solid var(--vw-accent); outline-offset: 2px; }
.vw [hidden] { display: none !important; }
.vw-sr { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

.vw-launcher { order: 2; display: inline-flex; align-items: center; gap: 8px; min-height: 48px; padding: 0 20px; border-radius: 24px;
  background: var(--vw-primary); color: var(--vw-on-primary); font-weight: 600; box-shadow: 0 6px 18px rgba(16, 24, 40, 0.28); }
.vw-launcher:focus-visible { outline-offset: 3px; }
.vw-badge { display: inline-block; min-width: 22px; padding: 0 6px; border-radius: 11px; background: #fff; color: #1a1a1a; font-size: 13px; text-align: center; }

.vw-panel { order: 1; width: 372px; max-width: calc(100vw - 40px); height: min(620px, calc(100vh - 110px)); display: flex; flex-direction: column;
  background: #fff; border: 1px solid var(--vw-border); border-radius: 12px; box-shadow: 0 12px 32px rgba(16, 24, 40, 0.25); overflow: hidden;
  animation: vw-in 0.16s ease-out; }
.vw-panel[hidden] { display: none; }
@keyframes vw-in { from { opacity: 0; transform: translateY(8px); } }
.vw-header { display: flex; align-items: center; gap: 8px; padding: 8px 8px 8px 16px; background: var(--vw-primary); color: var(--vw-on-primary); }
.vw-header :focus-visible { outline-color: var(--vw-on-primary); outline-offset: -5px; }
.vw-title { flex: 1; min-width: 0; margin: 0; font-size: 17px; font-weight: 700; overflow-wrap: anywhere; }
.vw-title:focus { outline: none; }
.vw-header-btn { min-height: 40px; padding: 0 10px; border-radius: 8px; background: transparent; color: inherit; border-color: currentColor !important; font-size: 14px; font-weight: 600; }
.vw-icon-btn { display: inline-grid; place-items: center; width: 40px; height: 40px; padding: 0; border-radius: 8px; background: transparent; color: inherit; }
.vw-body { flex: 1; min-height: 0; display: flex; flex-direction: column; overflow-y: auto; }

.vw-pad { padding: 16px; display: flex; flex-direction: column; gap: 14px; }
.vw-stack { display: flex; flex-direction: column; gap: 10px; }
.vw-pad h3 { margin: 0; font-size: 16px; }
.vw-pad p { margin: 0; }
.vw-muted { color: var(--vw-muted); font-size: 14px; }
.vw-field label, .vw-label { display: block; margin-bottom: 4px; font-weight: 600; }
.vw-req { color: var(--vw-danger); }
.vw input:not([type='radio']):not([type='file']), .vw select, .vw textarea {
  width: 100%; min-height: 44px; padding: 8px 10px; border: 1px solid var(--vw-field); border-radius: 8px; background: #fff; color: var(--vw-text); }
.vw textarea { resize: vertical; }
.vw ::placeholder { color: #5b6675; opacity: 1; }
.vw [aria-invalid='true'] { border: 2px solid var(--vw-danger) !important; }
.vw-field-error { margin: 4px 0 0 !important; color: var(--vw-danger); font-size: 14px; }
.vw-field-error:empty { display: none; }
.vw fieldset { margin: 0; padding: 8px 12px 12px; border: 1px solid var(--vw-border); border-radius: 8px; }
.vw legend { padding: 0 4px; font-weight: 600; }
.vw-choices { display: flex; flex-wrap: wrap; gap: 6px 14px; }
.vw-choice { display: inline-flex; align-items: center; gap: 6px; min-height: 32px; font-weight: 400; }
.vw-choice input { width: 18px; height: 18px; margin: 0; accent-color: var(--vw-accent); }

.vw-btn { min-height: 44px; padding: 0 16px; border-radius: 8px; background: var(--vw-primary); color: var(--vw-on-primary); font-weight: 600; }
.vw-btn[disabled] { cursor: progress; }
.vw .vw-btn-secondary { background: #fff; color: var(--vw-accent); border-color: var(--vw-accent); }
.vw-actions { display: flex; flex-wrap: wrap; gap: 8px; }
.vw-alert { margin: 0; padding: 8px 12px; border-radius: 8px; background: #fdecea; color: #8c1d18; }
.vw-alert:empty { display: none; }
.vw-note { margin: 0; padding: 8px 12px; border-radius: 8px; background: #e6f4ea; color: #14532d; }
.vw-note:empty { display: none; }
.vw-captcha { color: var(--vw-muted); font-size: 14px; min-height: 20px; }

.vw-chat { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.vw-status { margin: 0; padding: 8px 16px; background: #eef3f8; border-bottom: 1px solid #dbe2ea; font-size: 14px; }
.vw-status:empty { display: none; }
.vw-log { flex: 1; min-height: 120px; overflow-y: auto; padding: 12px 16px; display: flex; flex-direction: column; gap: 10px; }
.vw-empty { margin: auto 0; color: var(--vw-muted); text-align: center; }
.vw-msg { max-width: 85%; align-self: flex-start; padding: 8px 12px; border-radius: 12px; background: #eef1f4; color: var(--vw-text); overflow-wrap: anywhere; }
.vw-msg-citizen { align-self: flex-end; background: var(--vw-primary); color: var(--vw-on-primary); }
.vw-msg-system { align-self: center; max-width: 95%; background: transparent; color: var(--vw-muted); font-size: 14px; text-align: center; }
.vw-who { margin: 0 0 2px; font-size: 13px; font-weight: 700; }
.vw-text { margin: 0; white-space: pre-wrap; }
.vw-meta { margin: 4px 0 0; font-size: 12px; }
.vw-files { margin: 6px 0 0; padding: 0; list-style: none; }
.vw-link-btn { padding: 0; border: 0 !important; background: none; color: inherit; text-decoration: underline; text-align: left; }
.vw-typing { margin: 0; padding: 0 16px; min-height: 22px; color: var(--vw-muted); font-size: 13px; font-style: italic; }
.vw-chat-alert { margin: 0 16px 8px; }
.vw-composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px; border-top: 1px solid #dbe2ea; }
.vw-composer textarea { flex: 1; max-height: 140px; resize: none; }
.vw-composer .vw-icon-btn { color: var(--vw-accent); border-color: var(--vw-field); width: 44px; height: 44px; }

.vw-dialog { max-width: min(340px, calc(100vw - 32px)); padding: 20px; border: 0; border-radius: 12px; color: var(--vw-text); box-shadow: 0 12px 32px rgba(16, 24, 40, 0.3); }
.vw-dialog::backdrop { background: rgba(16, 24, 40, 0.45); }
.vw-dialog h3 { margin: 0 0 8px; font-size: 17px; }
.vw-dialog p { margin: 0 0 16px; }

@media (max-width: 480px), (max-height: 540px) {
  .vw[data-open] { top: 0; right: 0; bottom: 0; left: 0; gap: 0; }
  .vw[data-open] .vw-panel { flex: 1; width: 100%; max-width: none; height: 100%; border: 0; border-radius: 0; }
  .vw[data-open] .vw-launcher { display: none; }
  .vw-log { min-height: 0; }
}
@media (prefers-reduced-motion: reduce) {
  .vw, .vw * { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
}
`;
}
