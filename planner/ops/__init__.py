"""Operations: importing and exporting, backup and restore, privacy (purge, access requests), the demo data."""
