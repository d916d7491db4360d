// The pass's QR code drawn on a canvas with qrcode-generator (vendor/, the global `qrcode`): error
// correction M, alphanumeric mode (base45 is the QR alphanumeric alphabet), a 4-module quiet zone, whole
// device pixels per module so the edges stay sharp for the kiosk's camera.

const QUIET_MODULES = 4;

/** Draw `text` as a QR code filling at most `cssSize` CSS pixels of `canvas`. */
export function drawQr(canvas, text, cssSize) {
  const code = window.qrcode(0, "M");
  code.addData(text, "Alphanumeric");
  code.make();
  const modules = code.getModuleCount();
  const cells = modules + 2 * QUIET_MODULES;
  const ratio = window.devicePixelRatio || 1;
  const modulePx = Math.max(1, Math.floor((cssSize * ratio) / cells));
  const side = modulePx * cells;
  canvas.width = side;
  canvas.height = side;
  canvas.style.width = `${side / ratio}px`;
  canvas.style.height = `${side / ratio}px`;
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, side, side);
  context.fillStyle = "#000000";
  for (let row = 0; row < modules; row += 1) {
    for (let column = 0; column < modules; column += 1) {
      if (code.isDark(row, column)) {
        context.fillRect((column + QUIET_MODULES) * modulePx, (row + QUIET_MODULES) * modulePx, modulePx, modulePx);
      }
    }
  }
}
