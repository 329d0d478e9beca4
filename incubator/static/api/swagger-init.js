// Starts Swagger UI on /api/v1/docs (a static file: the Content-Security-Policy allows no inline script).
window.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: node.dataset.specUrl,
    domNode: node,
    // No deep links (their anchors sat inside each operation's button) and no top bar (an unlabelled field):
    // what axe-core found on the standalone layout.
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
