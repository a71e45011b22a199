"""The extract stage: page -> document (trafilatura to blocks, metadata, language, sanitizing)."""

from babelwire.extract.batch import BatchResult, extract_batch
from babelwire.extract.document import extract_document
from babelwire.extract.errors import ExtractionError
from babelwire.extract.language import detect_language
from babelwire.extract.sanitize import sanitize_inline

__all__ = [
    "BatchResult",
    "ExtractionError",
    "detect_language",
    "extract_batch",
    "extract_document",
    "sanitize_inline",
]
