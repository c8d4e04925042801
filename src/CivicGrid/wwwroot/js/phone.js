// The phone layout's A/A+ text size: toggled without a reload and kept in the cg-fs cookie (the
// server renders the class on <html> so the next page starts at the right size). Without
// JavaScript the link goes to /phone/font/{0|1}, which sets the same cookie.
(() => {
  "use strict";
  const link = document.getElementById("ph-font");
  if (!link) return;
  link.addEventListener("click", event => {
    event.preventDefault();
    const large = !document.documentElement.classList.contains("fs-large");
    document.documentElement.classList.toggle("fs-large", large);
    document.cookie = `cg-fs=${large ? 1 : 0}; path=/; max-age=31536000; samesite=lax`;
    link.textContent = large ? "A" : "A+";
    link.dataset.large = large ? "1" : "0";
  });
})();
