package io.redisl1.benchmarks;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.Protocol;

/** A Redisson client for one benchmark's Redis, with small pools: one thread calls it. */
final class RedissonForBenchmark {
  private RedissonForBenchmark() {}

  static RedissonClient connect(RedisForBenchmark redis, boolean resp3) {
    Config config = new Config();
    if (resp3) {
      config.setProtocol(Protocol.RESP3); // client-side caching needs RESP3 tracking
    }
    config
        .useSingleServer()
        .setAddress("redis://" + redis.host() + ":" + redis.port())
        .setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(2)
        .setSubscriptionConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(2);
    return Redisson.create(config);
  }
}
