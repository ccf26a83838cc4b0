"""Operations: backup and restore, generated data for benchmarks, query counting, production hardening."""
