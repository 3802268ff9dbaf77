// The password box's live checklist (accounts/password_checklist.py), progressive enhancement:
// without this file the server shows each rule's state after a submit.
// - A refused password keeps the server's states until the person types again.
// - Rules the page can check (counts, categories, length, similarity to the name and email)
//   follow what is typed; the others (common passwords, the NIR) say « vérifiée à l'envoi ».
(function () {
  "use strict";

  var CATEGORIES = [/\p{Lu}/u, /\p{Ll}/u, /[0-9]/, /[^\p{L}0-9]/u];

  function chars(text) { return Array.from(text); }

  // difflib.SequenceMatcher(a, b).quick_ratio(), as Django's UserAttributeSimilarityValidator.
  function quickRatio(a, b) {
    var avail = {}, matches = 0;
    chars(b).forEach(function (ch) { avail[ch] = (avail[ch] || 0) + 1; });
    chars(a).forEach(function (ch) {
      if (avail[ch] > 0) { matches += 1; }
      avail[ch] = (avail[ch] || 0) - 1;
    });
    var length = chars(a).length + chars(b).length;
    return length ? 2 * matches / length : 1;
  }

  function tooSimilar(password, values, maxSimilarity) {
    var pwd = password.toLowerCase(), pwdLength = chars(pwd).length;
    return values.some(function (value) {
      var lower = value.toLowerCase();
      return lower.split(/[^\p{L}\p{N}_]+/u).concat([lower]).some(function (part) {
        var partLength = chars(part).length;
        // Django's exceeds_maximum_length_ratio: a part far shorter than the password is skipped.
        if (pwdLength >= 10 * partLength && partLength < maxSimilarity / 2 * pwdLength) {
          return false;
        }
        return quickRatio(pwd, part) >= maxSimilarity;
      });
    });
  }

  function ruleMet(item, value) {
    var min = parseInt(item.getAttribute("data-min"), 10) || 0;
    switch (item.getAttribute("data-live")) {
      case "categories":
        return CATEGORIES.filter(function (re) { return re.test(value); }).length >= min;
      case "max":
        return chars(value).length <= min;
      case "min":
        return chars(value).length >= min;
      case "similarity":
        return !tooSimilar(value, JSON.parse(item.getAttribute("data-compare") || "[]"),
          parseFloat(item.getAttribute("data-max-similarity")));
      default:  // "count"
        var matches = value.match(new RegExp(item.getAttribute("data-pattern"), "gu"));
        return (matches ? matches.length : 0) >= min;
    }
  }

  function setState(item, className, text) {
    item.classList.remove("is-ok", "is-ko", "is-pending");
    item.classList.add(className);
    var state = item.querySelector("[data-state]");
    if (state.textContent !== "(" + text + ")") { state.textContent = "(" + text + ")"; }
  }

  function setup(list) {
    var input = document.getElementById(list.getAttribute("data-for"));
    if (!input) { return; }
    var title = list.querySelector("[data-live-title]");
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-rule]"));
    var texts = list.dataset;
    function update() {
      if (title) { title.textContent = title.getAttribute("data-live-title"); }
      items.forEach(function (item) {
        if (!item.getAttribute("data-live")) {
          setState(item, "is-pending", texts.pendingText);
        } else if (ruleMet(item, input.value)) {
          setState(item, "is-ok", texts.okText);
        } else {
          setState(item, "is-ko", texts.koText);
        }
      });
    }
    input.addEventListener("input", update);
    // After a refusal the field is empty and the server's states describe the refused password:
    // keep them until the person types. Otherwise (a first visit) check the empty field now.
    var submitted = items.some(function (item) { return !item.classList.contains("is-pending"); });
    if (input.value || !submitted) { update(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-password-checklist]").forEach(setup);
  });
})();
