"""The camera side of the kiosk, free of Qt: frame sources, QR decoding, and the scan gate.

- :class:`FrameSource` and its implementations hand out BGR frames:
  :class:`OpenCVDeviceSource` (a webcam that survives being unplugged),
  :class:`VideoFileSource`, :class:`ImageFolderSource` and
  :class:`SyntheticSource` (QR cards rendered into a scene, for demos and tests).
- :class:`DecoderChain` (built by :func:`default_chain`) reads QR codes from a
  frame with :class:`ZxingDecoder` / :class:`ZbarDecoder` and preprocessing.
- :class:`ScanGate` turns per-frame sightings into one scan per presented card.

The capture thread that paces sources and the signals to the UI live in
``kiosk/ui``; nothing here sleeps or starts threads.
"""

from kiosk.camera.decoder_chain import Attempt, ChainTrace, DecoderChain, default_chain, to_gray
from kiosk.camera.decoders import Decoded, QrDecoder, ZbarDecoder, ZxingDecoder, bytes_to_text
from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.file_sources import ImageFolderSource, VideoFileSource
from kiosk.camera.frame_source import CameraState, Frame, FrameSource
from kiosk.camera.scan_gate import ScanGate
from kiosk.camera.synthetic_source import SyntheticSource

__all__ = [
    "Attempt",
    "CameraState",
    "ChainTrace",
    "Decoded",
    "DecoderChain",
    "Frame",
    "FrameSource",
    "ImageFolderSource",
    "OpenCVDeviceSource",
    "QrDecoder",
    "ScanGate",
    "SyntheticSource",
    "VideoFileSource",
    "ZbarDecoder",
    "ZxingDecoder",
    "bytes_to_text",
    "default_chain",
    "to_gray",
]
