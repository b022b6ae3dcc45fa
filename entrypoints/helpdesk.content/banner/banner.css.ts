// Zendesk Garden's palette and 14px type scale, so the banner reads as part of Agent Workspace.
export const bannerCss = `
:host{all:initial}
.sg-banner{display:block;box-sizing:border-box;margin:8px 12px;padding:10px 14px;border-radius:4px;border:1px solid #d8dcde;border-left:4px solid #1f73b7;background:#fff;color:#2f3941;font:14px/20px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.sg-degraded{border-left-color:#c38f00;background:#fffcf5}
.sg-outage{border-left-color:#cc3340;background:#fff0f1}
.sg-head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.sg-brand{font-weight:600}
.sg-kept-row{display:flex;gap:8px;align-items:center;justify-content:space-between;margin-top:4px}
.sg-kept{margin:0}
.sg-replies{list-style:none;margin:8px 0 0;padding:0;display:grid;gap:8px;max-height:22rem;overflow-y:auto}
.sg-reply{border-top:1px solid #e9ebed;padding-top:8px;content-visibility:auto;contain-intrinsic-size:auto 5rem}
.sg-text{margin:0;white-space:pre-wrap;word-break:break-word;max-height:6em;overflow:auto}
.sg-meta{margin:2px 0 6px;color:#68737d;font-size:12px;line-height:16px}
.sg-actions{display:flex;gap:8px}
button{font:inherit;font-size:14px;padding:4px 12px;border-radius:4px;border:1px solid #1f73b7;background:#fff;color:#1f73b7;cursor:pointer}
button.sg-primary{background:#1f73b7;color:#fff}
button:focus-visible{outline:2px solid #1f73b7;outline-offset:2px}
button:disabled{opacity:.6;cursor:default}
.sg-window{margin:8px 0 0;color:#8c232c}
.sg-page-id{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-top:8px}
.sg-page-id label{display:flex;gap:8px;align-items:center}
.sg-page-id input{font:inherit;padding:3px 6px;border:1px solid #87929d;border-radius:4px;width:16em}
.sg-page-id input[aria-invalid="true"]{border-color:#cc3340}
.sg-field-error{color:#cc3340;font-size:12px}
.sg-note{margin-top:8px}
.sg-notice{margin:8px 0 0;font-weight:600}
@media (prefers-color-scheme:dark){
  .sg-banner{background:#1f2327;color:#e9ebed;border-color:#3a4046}
  .sg-degraded{background:#2b2516}
  .sg-outage{background:#2f1a1d}
  .sg-reply{border-top-color:#3a4046}
  .sg-meta{color:#b0b8be}
  button{background:transparent;color:#5ea5dd;border-color:#5ea5dd}
  button.sg-primary{background:#1f73b7;color:#fff;border-color:#1f73b7}
  .sg-window{color:#f5a3aa}
  .sg-page-id input{background:#1f2327;color:#e9ebed}
}
`;
