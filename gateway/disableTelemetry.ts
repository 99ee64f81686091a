// Imported first by the gateway, before @apollo/gateway is evaluated: without this variable the
// gateway starts an OpenTelemetry exporter whose resource detectors probe cloud metadata
// addresses and report usage to Apollo. The hub runs in closed networks and does neither.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
