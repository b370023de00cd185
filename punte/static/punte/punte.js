// punte's only script: progressive enhancements, no inline handlers (CSP forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // The organization switcher submits on change; the button stays for keyboards without JS.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    const form = select.form;
    const fallback = form.querySelector("[data-autosubmit-fallback]");
    if (fallback) fallback.classList.add("visually-hidden");
    select.addEventListener("change", () => form.requestSubmit());
  }
  // Buttons that change a person's access ask first.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
});
