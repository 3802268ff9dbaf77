// Demo pages, progressive enhancement only: a "Copier" button next to each fictitious NIR.
// Without JavaScript the buttons stay hidden and the number can be selected by hand.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("button.demo-copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = button.parentElement.querySelector(".demo-copy-status");
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        if (status) { status.textContent = "Numéro copié."; }
      }, function () {
        if (status) { status.textContent = "Copie impossible : sélectionnez le numéro à la main."; }
      });
    });
  });
});
