// Copy-to-clipboard for the code boxes of the add-host dialog and the EMPTY cards.

/** Copies an element's text; falls back to a selection + execCommand where the async
 * clipboard is unavailable (plain http on a LAN address is not a secure context). Shows
 * "Copied" on the button for a moment; returns whether the text reached the clipboard. */
export async function copyFrom(source, button) {
  const text = source.textContent;
  let copied = false;
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (e) {
      console.warn('servmon: clipboard write refused, trying the fallback', e);
    }
  }
  if (!copied) copied = copyBySelection(source);
  if (copied && !button.dataset.label) {
    button.dataset.label = button.textContent;
    button.textContent = 'Copied';
    window.setTimeout(() => {
      button.textContent = button.dataset.label;
      delete button.dataset.label;
    }, 1500);
  }
  return copied;
}

function copyBySelection(source) {
  const selection = window.getSelection();
  const range = document.createRange();
  range.selectNodeContents(source);
  selection.removeAllRanges();
  selection.addRange(range);
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch (e) {
    ok = false;
  }
  // On failure the text stays selected so the person can copy it by hand.
  if (ok) selection.removeAllRanges();
  return ok;
}
