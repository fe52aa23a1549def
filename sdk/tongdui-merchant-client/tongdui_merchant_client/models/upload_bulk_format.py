from typing import Literal

UploadBulkFormat = Literal["csv", "json"]

UPLOAD_BULK_FORMAT_VALUES: set[UploadBulkFormat] = {
    "csv",
    "json",
}


def check_upload_bulk_format(value: str) -> UploadBulkFormat:
    if value in UPLOAD_BULK_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UPLOAD_BULK_FORMAT_VALUES!r}")
