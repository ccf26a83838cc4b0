"""Digital signatures (PAdES, pyHanko): signing issued PDFs, certificates, verification."""
