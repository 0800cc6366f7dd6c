/**
 * The web interface's two static files, served by the node itself (nothing from the internet):
 * the stylesheet (a laptop and a phone screen; visible focus; right-to-left by logical
 * properties; a print layout for the consent text) and a small script that only enhances:
 * every screen works without it. Kept as strings so the build needs no bundler.
 */

export const STYLE_CSS = `
:root { --ink: #1b1f24; --muted: #4a5563; --line: #c5ccd6; --bg: #ffffff; --soft: #f3f5f8; --accent: #0b5cad; --ok: #17663a; --warn: #8a4b00; --bad: #a4161a; font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Naskh Arabic", sans-serif; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.5; font-size: 1rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.skip { position: absolute; inset-inline-start: -999px; top: 0; background: #ffbf47; color: #000; padding: .5rem 1rem; }
.skip:focus { inset-inline-start: 0; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .5rem 1rem; background: #0d2b4a; color: #fff; }
header.top a { color: #fff; }
header.top .brand { font-weight: 700; font-size: 1.15rem; }
header.top nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
header.top nav a[aria-current="page"] { text-decoration-thickness: 3px; font-weight: 700; }
header.top .who { display: flex; flex-wrap: wrap; gap: .5rem 1rem; margin-inline-start: auto; align-items: center; }
header.top label { color: #fff; }
header.top select { width: auto; padding: .25rem; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
main:focus { outline: none; }
footer { padding: 1rem; color: var(--muted); border-top: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
form.inline { display: inline-flex; flex-wrap: wrap; gap: .25rem; align-items: center; margin: 0; }
form.stack { display: grid; gap: .75rem; max-width: 40rem; }
form.stack label, fieldset legend { font-weight: 600; }
fieldset { border: 1px solid var(--line); padding: .5rem 1rem 1rem; }
input, select, textarea, button { font: inherit; }
input[type=text], input[type=password], input[type=date], input[type=search], select, textarea { width: 100%; padding: .45rem; border: 1px solid #6b7785; border-radius: 4px; background: #fff; color: var(--ink); }
button, .button { display: inline-block; padding: .45rem 1rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.hint { color: var(--muted); font-size: .9rem; margin: 0; }
.flash { background: #e3f4ea; border-inline-start: 4px solid var(--ok); padding: .5rem 1rem; margin-bottom: 1rem; }
.flash.empty { display: none; }
.problems { background: #fbe9e9; border-inline-start: 4px solid var(--bad); padding: .5rem 1rem; margin-bottom: 1rem; }
.progress { background: var(--soft); padding: .5rem 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); }
.table-wrap { overflow-x: auto; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; background: var(--soft); border: 1px solid var(--line); font-size: .9rem; }
.badge.overdue, .badge.bad { background: #fbe9e9; border-color: var(--bad); color: var(--bad); font-weight: 600; }
.badge.ok { background: #e3f4ea; border-color: var(--ok); color: var(--ok); }
.badge.warn { background: #fff4e0; border-color: var(--warn); color: var(--warn); }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.columns > .stack { display: grid; gap: .75rem; align-content: start; }
.card dl.facts { grid-template-columns: 1fr; gap: 0; }
.card dl.facts dd { margin-bottom: .35rem; overflow-wrap: anywhere; }
.pager { display: flex; gap: 1rem; align-items: center; margin-top: 1rem; }
@media (max-width: 40rem) {
  .columns { grid-template-columns: 1fr; }
  header.top .who { margin-inline-start: 0; }
  dl.facts { grid-template-columns: 1fr; }
  main { padding: .75rem; }
}
@media print {
  header.top, footer, .no-print, .skip, .flash { display: none !important; }
  main { max-width: none; padding: 0; }
  body { font-size: 12pt; }
}
`;

export const APP_JS = `
// Enhancements only: every screen works without this script.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-long')) return;
  var progress = document.querySelector('.progress');
  if (progress) progress.hidden = false;
  // after the browser has taken the pressed button's name and value into the form's data
  setTimeout(function () {
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }, 0);
});
document.addEventListener('click', function (event) {
  var target = event.target;
  if (target instanceof HTMLElement && target.hasAttribute('data-print')) window.print();
});
document.addEventListener('DOMContentLoaded', function () {
  var problems = document.getElementById('problems');
  if (problems) problems.focus();
  var buttons = document.querySelectorAll('[data-print]');
  for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
});
`;
