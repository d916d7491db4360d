"""QR decoders behind one small interface: zxing-cpp and ZBar (through pyzbar).

A decoder takes a single-channel ``uint8`` image and returns what it read. It
never raises: an empty, tiny or wrongly typed image gives ``[]``, and a missing
native library (``libzbar0`` not installed) makes :attr:`ZbarDecoder.available`
false instead of crashing the kiosk.

In the frozen bundle (``build.spec``) ZBar comes with the kiosk: pyzbar finds
``libzbar`` with ``ctypes.util.find_library``, which looks only at the system's
libraries, so :func:`use_bundled_zbar` points pyzbar at the bundle's copy
before it loads (``libzbar.so.0`` on Linux; on Windows the wheel's
``libzbar-64.dll`` and ``libiconv.dll``).

Both report ``raw``, the bytes stored in the code, and ``text``. Codes that are
not ours (Shift_JIS text, binary data, URLs) still come back: the kiosk must see
a foreign code to tell the volunteer it is not a kiosk card.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

log = logging.getLogger(__name__)

MIN_SIDE = 8
"""Images with a side shorter than this hold no readable QR code; decoders skip them."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """One code read from an image: its text, its raw bytes, and which decoder read it."""

    text: str
    raw: bytes
    decoder: str


@runtime_checkable
class QrDecoder(Protocol):
    """A QR decoder: ``decode`` takes a single-channel ``uint8`` image and never raises."""

    @property
    def name(self) -> str:
        """A short name for logs and benchmark tables."""
        ...

    def decode(self, gray: NDArray[Any]) -> list[Decoded]:
        """Return the codes found in ``gray`` (empty when none, or when the input is unusable)."""
        ...


def usable_gray(image: object) -> NDArray[np.uint8] | None:
    """Return ``image`` as a C-contiguous 2-D ``uint8`` array, or ``None`` if it is not one."""
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        return None
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim != 2 or min(image.shape) < MIN_SIDE:
        return None
    return np.ascontiguousarray(image)


def bytes_to_text(raw: bytes) -> str:
    """Decode a code's bytes: UTF-8 when valid, else Shift_JIS (QR's other usual text encoding), else Latin-1.

    Latin-1 maps every byte, so binary data always gives some text and never fails.
    """
    for encoding in ("utf-8", "shift_jis"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


_ZXING_BINARIZERS = {"local": "LocalAverage", "global": "GlobalHistogram"}


class ZxingDecoder:
    """zxing-cpp, restricted to QR codes (model 1/2, Micro QR and rMQR, zxing-cpp's QR family).

    ``text`` is zxing-cpp's plain text (it honours ECI and guesses Shift_JIS /
    GB2312 as the QR standard allows); ``raw`` is ``Barcode.bytes``. The
    ``binarizer`` ("local" or "global") and ``try_*`` flags pass straight to
    ``zxingcpp.read_barcodes``.
    """

    def __init__(
        self,
        binarizer: str = "local",
        try_rotate: bool = True,
        try_invert: bool = True,
        try_downscale: bool = True,
    ) -> None:
        if binarizer not in _ZXING_BINARIZERS:
            raise ValueError(f"binarizer must be one of {sorted(_ZXING_BINARIZERS)}")
        self._binarizer = binarizer
        self._try_rotate = try_rotate
        self._try_invert = try_invert
        self._try_downscale = try_downscale
        try:
            import zxingcpp  # noqa: F401 - only to learn whether it loads
        except ImportError:
            log.warning("zxing-cpp is not installed; the zxing QR decoder is off")
            self._available = False
        else:
            self._available = True

    @property
    def name(self) -> str:
        """``zxing``, or ``zxing-global`` with the global-histogram binarizer."""
        return "zxing" if self._binarizer == "local" else f"zxing-{self._binarizer}"

    @property
    def available(self) -> bool:
        """False when zxing-cpp could not be imported."""
        return self._available

    def decode(self, gray: NDArray[Any]) -> list[Decoded]:
        """Return the valid QR codes zxing-cpp finds in ``gray``."""
        image = usable_gray(gray)
        if image is None or not self._available:
            return []
        try:
            # zxing-cpp's objects are looked up per call, never kept: an instance that
            # outlives the extension module at exit makes nanobind report leaks.
            import zxingcpp

            barcodes = zxingcpp.read_barcodes(
                image,
                formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
                text_mode=zxingcpp.TextMode.Plain,
                binarizer=getattr(zxingcpp.Binarizer, _ZXING_BINARIZERS[self._binarizer]),
                try_rotate=self._try_rotate,
                try_invert=self._try_invert,
                try_downscale=self._try_downscale,
            )
        except Exception:  # a decoder bug must not stop the camera
            log.exception("zxing-cpp raised on a %s image", image.shape)
            return []
        name = self.name
        return [Decoded(str(b.text), bytes(b.bytes), name) for b in barcodes if b.valid]


_Y800 = ord("Y") | ord("8") << 8 | ord("0") << 16 | ord("0") << 24
_ZBAR_CFG_BINARY = 4  # zbar >= 0.23: hand back the code's bytes instead of zbar's charset guess


ZBAR_BUNDLE_FILES: dict[str, tuple[str, ...]] = {
    # Inside the bundle's contents folder, dependencies first, ZBar last.
    "linux": ("libzbar.so.0",),
    "win32": ("pyzbar/libiconv.dll", "pyzbar/libzbar-64.dll"),
}
"""The ZBar files ``build.spec`` ships, per platform, relative to the bundle's contents folder."""


def bundled_zbar_files(
    bundle_dir: str | None = None, platform: str = sys.platform, frozen: bool | None = None
) -> list[Path] | None:
    """The bundle's ZBar library files (dependencies first), or None when not frozen or not shipped.

    ``bundle_dir`` defaults to ``sys._MEIPASS`` (the contents folder of a
    PyInstaller bundle); ``frozen`` to ``sys.frozen``.
    """
    if frozen is None:
        frozen = bool(getattr(sys, "frozen", False))
    if bundle_dir is None:
        bundle_dir = getattr(sys, "_MEIPASS", None)
    names = ZBAR_BUNDLE_FILES.get("linux" if platform.startswith("linux") else platform)
    if not frozen or not bundle_dir or names is None:
        return None
    files = [Path(bundle_dir, name) for name in names]
    return files if all(path.is_file() for path in files) else None


def use_bundled_zbar(files: list[Path] | None = None) -> bool:
    """Make pyzbar load ZBar from ``files`` (default: :func:`bundled_zbar_files`); True if it will.

    Must run before ``pyzbar.wrapper`` is first imported: that import loads
    the library. The system's ZBar is left alone when there is no bundle.
    """
    files = bundled_zbar_files() if files is None else files
    if not files:
        return False
    from pyzbar import zbar_library

    def load() -> tuple[ctypes.CDLL, list[ctypes.CDLL]]:
        dependencies = [ctypes.cdll.LoadLibrary(str(path)) for path in files[:-1]]
        return ctypes.cdll.LoadLibrary(str(files[-1])), dependencies

    zbar_library.load = load
    log.debug("ZBar from the bundle: %s", files[-1])
    return True


def _zbar_version() -> Any:
    """ZBar's ``zbar_version`` with the three pointers of ZBar 0.23 and later (major, minor, patch).

    pyzbar declares it with two; ZBar 0.23 writes the patch number through a
    third, which then was whatever the register held: a write to a random
    address, and a crash now and then (seen once in CI). A third pointer is
    harmless to an older ZBar, which reads two.
    """
    from pyzbar import wrapper

    pointer = ctypes.POINTER(ctypes.c_uint)
    return ctypes.CFUNCTYPE(ctypes.c_int, pointer, pointer, pointer)(("zbar_version", wrapper.load_libzbar()))


class ZbarDecoder:
    """ZBar through pyzbar's ctypes bindings, QR only.

    pyzbar's own ``decode`` lets ZBar convert the code's bytes to UTF-8 with its
    charset guess, which turns Shift_JIS half-width katakana and some UTF-8 into
    the wrong text. With ZBar 0.23 or newer this decoder switches that off
    (``ZBAR_CFG_BINARY``), so ``raw`` is the code's bytes, and ``text`` comes
    from :func:`bytes_to_text` (UTF-8, else Shift_JIS, else Latin-1). With an
    older ZBar, ``raw`` is ZBar's converted text.
    """

    name = "zbar"

    def __init__(self) -> None:
        self._zbar: Any = None
        self._binary = False
        try:
            use_bundled_zbar()
            from pyzbar import wrapper

            major, minor, patch = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
            _zbar_version()(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
        except Exception as error:  # ImportError, or OSError from a missing libzbar
            log.warning("ZBar is not available (%s); the zbar QR decoder is off", error)
            return
        self._zbar = wrapper
        self._binary = (major.value, minor.value) >= (0, 23)

    @property
    def available(self) -> bool:
        """False when pyzbar or the ``libzbar`` shared library could not be loaded."""
        return self._zbar is not None

    def decode(self, gray: NDArray[Any]) -> list[Decoded]:
        """Return the QR codes ZBar finds in ``gray``."""
        image = usable_gray(gray)
        if image is None or self._zbar is None:
            return []
        try:
            return [Decoded(bytes_to_text(raw), raw, self.name) for raw in self._scan(image)]
        except Exception:
            log.exception("zbar raised on a %s image", image.shape)
            return []

    def _scan(self, image: NDArray[np.uint8]) -> list[bytes]:
        z = self._zbar
        scanner = z.zbar_image_scanner_create()
        if not scanner:
            return []
        try:
            z.zbar_image_scanner_set_config(scanner, 0, z.ZBarConfig.CFG_ENABLE, 0)
            z.zbar_image_scanner_set_config(scanner, z.ZBarSymbol.QRCODE, z.ZBarConfig.CFG_ENABLE, 1)
            if self._binary:
                z.zbar_image_scanner_set_config(scanner, z.ZBarSymbol.QRCODE, _ZBAR_CFG_BINARY, 1)
            zimage = z.zbar_image_create()
            if not zimage:
                return []
            try:
                height, width = image.shape
                z.zbar_image_set_format(zimage, _Y800)
                z.zbar_image_set_size(zimage, width, height)
                z.zbar_image_set_data(zimage, image.ctypes.data_as(ctypes.c_void_p), image.size, None)
                if z.zbar_scan_image(scanner, zimage) <= 0:
                    return []
                found = []
                symbol = z.zbar_image_first_symbol(zimage)
                while symbol:
                    length = z.zbar_symbol_get_data_length(symbol)
                    found.append(ctypes.string_at(z.zbar_symbol_get_data(symbol), length))
                    symbol = z.zbar_symbol_next(symbol)
                return found
            finally:
                z.zbar_image_destroy(zimage)
        finally:
            z.zbar_image_scanner_destroy(scanner)
