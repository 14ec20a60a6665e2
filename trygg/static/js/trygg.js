// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  // On a phone the main menu folds behind a "Meny" button.
  const menuButton = document.querySelector("[data-menu-button]");
  const menu = document.getElementById("main-menu");
  if (menuButton && menu) {
    const phone = window.matchMedia("(max-width: 40rem)");
    const fold = () => {
      menuButton.hidden = !phone.matches;
      const open = !phone.matches;
      menu.hidden = !open;
      menuButton.setAttribute("aria-expanded", String(open));
    };
    menuButton.addEventListener("click", () => {
      menu.hidden = !menu.hidden;
      menuButton.setAttribute("aria-expanded", String(!menu.hidden));
    });
    phone.addEventListener("change", fold);
    fold();
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
