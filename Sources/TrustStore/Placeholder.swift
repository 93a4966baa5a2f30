// Placeholder until the trust store lands.
