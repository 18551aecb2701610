import { html, type SafeHtml } from './html.ts';

/**
 * "Salin" buttons beside the numbers a buyer types into a banking app (virtual account, bank
 * account, payment code). They start hidden and the script shows them, so a browser that runs no
 * script never shows a button that does nothing. The script is a constant allowed by the page's
 * nonce (never `unsafe-inline`); what it copies is the button's `data-copy`, escaped like any value.
 */
export const COPY_SCRIPT = `(() => {
  const copied = 'Tersalin';
  const fallback = (text) => {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand('copy');
    area.remove();
    return done;
  };
  const copy = async (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {}
    }
    return fallback(text);
  };
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const label = button.dataset.label || button.textContent;
      button.dataset.label = label;
      const done = await copy(button.dataset.copy);
      button.textContent = done ? copied : 'Salin manual';
      button.classList.toggle('done', done);
      clearTimeout(Number(button.dataset.timer));
      button.dataset.timer = String(setTimeout(() => {
        button.textContent = label;
        button.classList.remove('done');
      }, 2500));
    });
  }
})();`;

/** What a banking app takes: the digits of a number written with spaces, dots or dashes. */
export function copyableNumber(value: string): string {
  return /^[0-9][0-9 .-]*$/.test(value) ? value.replace(/\D/g, '') : value.trim();
}

/** A hidden "Salin" button copying `value`; `what` says what it copies (its tooltip). */
export function copyButton(value: string, what: string): SafeHtml {
  return html`<button type="button" class="copy" data-copy="${copyableNumber(value)}" title="Salin ${what}" aria-live="polite" hidden>Salin</button>`;
}

/** Whether a rendered page has a copy button (so it needs the script). */
export function hasCopyButtons(body: SafeHtml): boolean {
  return body.value.includes(' data-copy="');
}
