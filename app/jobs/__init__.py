"""Background jobs: work that must not hold a web worker (issued PDFs, the export cache,
backups) runs in RQ workers on Redis; the `jobs` table is what the pages show."""
