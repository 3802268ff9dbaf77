// Signup wizard, progressive enhancement only: every step works without this file.
// (The password checklist is static/js/password-checklist.js.)
// 1. "Renouveler les caractères" fetches a new captcha without reloading the page.
// 2. "Tutoriel : Inscription" opens in an accessible <dialog> instead of a new page.
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("signup-live");
    if (!region) {
      region = document.createElement("p");
      region.id = "signup-live";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function setupCaptchaRefresh() {
    var button = document.querySelector("[data-captcha-refresh]");
    if (!button || !window.fetch) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var form = button.form;
      fetch(button.getAttribute("data-refresh-url"), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error("captcha"); }
        return response.json();
      }).then(function (data) {
        var image = form.querySelector("[data-captcha-image]");
        var hidden = form.querySelector("input[name='captcha_0']");
        var answer = form.querySelector("input[name='captcha_1']");
        var audio = form.querySelector("[data-captcha-audio]");
        var download = form.querySelector("[data-captcha-download]");
        image.src = data.image_url;
        hidden.value = data.key;
        if (audio) { audio.src = data.audio_url; }
        if (download) { download.href = data.audio_url + "?telecharger=1"; }
        answer.value = "";
        answer.focus();
        announce(button.getAttribute("data-done-text") || "De nouveaux caractères sont affichés.");
      }).catch(function () {
        // Fall back to the no-JS way: submit the form with the refresh button.
        if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
      });
    });
  }

  function setupTutorialDialog() {
    var link = document.querySelector("[data-tutorial-dialog]");
    if (!link) { return; }
    var dialog = document.getElementById(link.getAttribute("data-tutorial-dialog"));
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.classList.remove("is-playing");
      dialog.showModal();
      // Restart the walk-through animation each time the dialog opens.
      void dialog.offsetWidth;
      dialog.classList.add("is-playing");
      var title = dialog.querySelector("h2");
      if (title) { title.focus(); }
    });
    dialog.addEventListener("close", function () { link.focus(); });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }  // a click on the backdrop
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupCaptchaRefresh();
    setupTutorialDialog();
  });
})();
