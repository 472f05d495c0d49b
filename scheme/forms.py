"""Reading and checking what the office, hosts and municipalities type."""
