package io.redisl1.metrics;

import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Stats;
import io.redisl1.store.L1Store;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** Reads the same counters as the meters, when JMX asks. */
final class L1MBean implements L1MXBean {
  static final String NAME = "io.redisl1:type=L1";

  private final L1Runtime runtime;
  private final L1Store store;
  private final L1Stats stats;

  L1MBean(L1Runtime runtime) {
    this.runtime = runtime;
    this.store = runtime.store();
    this.stats = store.stats();
  }

  /** Registers in the platform MBean server, replacing one left by an earlier start. */
  void register() throws Exception {
    ObjectName name = new ObjectName(NAME);
    javax.management.MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    if (server.isRegistered(name)) {
      server.unregisterMBean(name);
    }
    server.registerMBean(this, name);
  }

  @Override
  public boolean isEnabled() {
    return L1Meters.enabled(store);
  }

  @Override
  public long getHits() {
    return stats.hits();
  }

  @Override
  public long getMisses() {
    return stats.misses();
  }

  @Override
  public double getHitRate() {
    return stats.hitRate();
  }

  @Override
  public long getFills() {
    return stats.fills();
  }

  @Override
  public long getEntries() {
    return store.estimatedEntries();
  }

  @Override
  public long getBytesUsed() {
    return store.weightedSize();
  }

  @Override
  public long getBytesBudget() {
    return store.settings().maxMemoryBytes();
  }

  @Override
  public long getEvictions() {
    return stats.evictions();
  }

  @Override
  public long getStaleFillsRejected() {
    return stats.staleFillsRejected();
  }

  @Override
  public long getValuesTooLarge() {
    return stats.tooLarge();
  }

  @Override
  public long getEntriesInvalidated() {
    return stats.entriesInvalidated();
  }

  @Override
  public long getFlushes() {
    return stats.flushes();
  }
}
