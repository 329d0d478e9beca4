// The new API token's page: "Copy" puts the token on the clipboard (the field stays selectable by hand).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("copy-token");
  var field = document.getElementById("token-secret");
  if (!button || !field) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    field.select();
    var done = function () { button.textContent = button.dataset.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
});
