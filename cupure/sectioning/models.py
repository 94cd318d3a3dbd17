"""Section classifier state."""
