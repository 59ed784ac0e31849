package io.redisl1.agent.internal;

final class AgentVersion {
  private AgentVersion() {}

  static String get() {
    String v = AgentVersion.class.getPackage() == null ? null : AgentVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
