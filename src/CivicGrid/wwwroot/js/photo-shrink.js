// Shrinks a photo in the browser before it is uploaded over a weak link: the longer side to at most
// maxSide pixels, re-encoded as JPEG. Used by the resident 随手拍 page and the grid worker's workbench.
// A file that is not an image the browser can decode is returned as it is: the server's type sniffing
// refuses it with a clear error. Exposes window.CivicGridPhotos.shrink(file, maxSide?, quality?).
(() => {
  "use strict";

  const defaultMaxSide = 1600;
  const defaultQuality = 0.82;

  async function decode(file) {
    if (typeof createImageBitmap === "function") {
      try {
        // from-image: respect the EXIF orientation a phone camera writes.
        return await createImageBitmap(file, { imageOrientation: "from-image" });
      } catch {
        // Fall back to an <img> element below (older browsers, or options not supported).
      }
    }
    const url = URL.createObjectURL(file);
    try {
      const image = new Image();
      image.decoding = "async";
      image.src = url;
      await image.decode();
      return image;
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  function toBlob(canvas, quality) {
    return new Promise((resolve, reject) =>
      canvas.toBlob(blob => (blob ? resolve(blob) : reject(new Error("encode failed"))), "image/jpeg", quality));
  }

  /**
   * @param {Blob} file the chosen or captured photo
   * @param {number} [maxSide] the longest side after shrinking (default 1600)
   * @param {number} [quality] JPEG quality 0..1 (default 0.82)
   * @returns {Promise<Blob>} a JPEG no larger than maxSide on either side, or the file itself when
   *   it cannot be decoded or is already a small enough JPEG
   */
  async function shrink(file, maxSide = defaultMaxSide, quality = defaultQuality) {
    if (!file || !/^image\//.test(file.type || "")) {
      return file;
    }
    let source;
    try {
      source = await decode(file);
    } catch {
      return file;
    }
    const width = source.width;
    const height = source.height;
    const scale = Math.min(1, maxSide / Math.max(width, height));
    if (scale === 1 && file.type === "image/jpeg" && file.size <= 600 * 1024) {
      source.close?.();
      return file;
    }
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent PNGs become white, not black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    source.close?.();
    const blob = await toBlob(canvas, quality);
    // Keep the original when re-encoding made it bigger (a small, already compressed photo).
    return blob.size < file.size || scale < 1 ? blob : file;
  }

  window.CivicGridPhotos = { shrink, maxSide: defaultMaxSide };
})();
