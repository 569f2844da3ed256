"""Private file storage: every file is one Fernet token on disk (0600 in a 0700 folder), decrypted only when a view
that has already checked access opens it."""

import io
import os
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from .crypto import decrypt_bytes, encrypt_bytes, is_on_primary_key, rotate_token


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        return super()._save(name, ContentFile(encrypt_bytes(data)))  # type: ignore[misc,no-any-return]  # not in django-stubs

    def _open(self, name: str, mode: str = "rb") -> "File[Any]":
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted files are written through save(), never opened for writing.")
        with open(self.path(name), "rb") as handle:
            data = decrypt_bytes(handle.read())
        return File(io.BytesIO(data), name=name)

    def rotate(self, name: str, *, dry_run: bool = False) -> bool:
        """Re-encrypt one file under the first key; False when it already is (so a rotation can resume)."""
        with open(self.path(name), "rb") as handle:
            token = handle.read()
        if is_on_primary_key(token):
            return False
        if not dry_run:
            path = self.path(name)
            rotated = rotate_token(token)
            temporary = f"{path}.rotating"
            with open(temporary, "wb") as handle:
                handle.write(rotated)
            os.chmod(temporary, self.file_permissions_mode or 0o600)
            os.replace(temporary, path)  # atomic: a crash leaves the old or the new file, never half of one
        return True


def private_storage() -> EncryptedFileSystemStorage:
    """The storage of attachments (a callable, so migrations name it instead of freezing a path)."""
    return EncryptedFileSystemStorage()
