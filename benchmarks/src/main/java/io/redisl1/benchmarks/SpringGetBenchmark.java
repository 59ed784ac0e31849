package io.redisl1.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;

/**
 * {@code StringRedisTemplate.opsForValue().get} of one hot key on a {@code
 * LettuceConnectionFactory} with Spring Data Redis's defaults (one shared native connection), as
 * most Spring applications read Redis.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SpringGetBenchmark {
  private RedisForBenchmark redis;
  private LettuceConnectionFactory factory;
  private ValueOperations<String, String> values;
  private long calls;

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
    factory.afterPropertiesSet();
    factory.start();
    StringRedisTemplate template = new StringRedisTemplate(factory);
    values = template.opsForValue();
  }

  @Benchmark
  public String springTemplateGet() {
    calls++;
    return values.get(RedisForBenchmark.KEY);
  }

  @TearDown(Level.Trial)
  public void stop() {
    System.out.printf("%n[check] %,d GETs by the benchmark, %,d reached Redis%n", calls, redis.serverGets());
    factory.destroy();
    redis.close();
  }
}
