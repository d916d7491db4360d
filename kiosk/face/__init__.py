"""Face check-in: engine, quality, matching and liveness (no Qt)."""
