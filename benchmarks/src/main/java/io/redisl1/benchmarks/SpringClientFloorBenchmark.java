package io.redisl1.benchmarks;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
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
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;

/**
 * Spring Data Redis's own share of a {@link SpringGetBenchmark} hit, no agent involved. {@code
 * springTemplateExecuteOnly}: the template's connection handling as {@code opsForValue().get} uses
 * it (a connection from the factory of {@link SpringGetBenchmark}, with its shared native connection
 * to Redis, exposed to the callback and released), around a callback that sends nothing. {@code
 * springTemplateGetWithoutIo}: the whole {@code opsForValue().get} on a factory whose Lettuce
 * connection answers GETs without I/O ({@link NoIoLettuceConnectionFactory}), so Lettuce's share is
 * in it too. {@link BenchmarkMain} runs it without the agent only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SpringClientFloorBenchmark {
  private RedisForBenchmark redis;
  private LettuceConnectionFactory factory;
  private StringRedisTemplate template;
  private final RedisCallback<String> sendsNothing = this::sendNothing;
  private ClientResources resources;
  private NoIoGetWriter writer;
  private LettuceConnectionFactory noIoFactory;
  private ValueOperations<String, String> noIoValues;
  private long executeCalls;
  private long callbacks;
  private long getCalls;

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    factory = started(new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port())));
    template = new StringRedisTemplate(factory);
    resources = DefaultClientResources.create();
    writer = new NoIoGetWriter(resources);
    noIoFactory = started(new NoIoLettuceConnectionFactory(writer));
    noIoValues = new StringRedisTemplate(noIoFactory).opsForValue();
    LettuceClientFloorBenchmark.expectValue(springTemplateExecuteOnly());
    LettuceClientFloorBenchmark.expectValue(springTemplateGetWithoutIo());
  }

  private static LettuceConnectionFactory started(LettuceConnectionFactory factory) {
    factory.afterPropertiesSet();
    factory.start();
    return factory;
  }

  @Benchmark
  public String springTemplateExecuteOnly() {
    executeCalls++;
    return template.execute(sendsNothing, true); // exposed, as opsForValue() has it: no proxy
  }

  private String sendNothing(RedisConnection connection) {
    callbacks++;
    return RedisForBenchmark.VALUE;
  }

  @Benchmark
  public String springTemplateGetWithoutIo() {
    getCalls++;
    return noIoValues.get(RedisForBenchmark.KEY);
  }

  @TearDown(Level.Trial)
  public void stop() {
    long serverGets = redis.serverGets();
    System.out.printf(
        "%n[check] %,d template calls by the benchmark, %,d callbacks run, %,d GETs reached Redis;"
            + " %,d GETs by the benchmark, %,d answered without I/O%n",
        executeCalls, callbacks, serverGets, getCalls, writer.answered());
    factory.destroy();
    noIoFactory.destroy();
    resources.shutdown();
    redis.close();
    if (callbacks != executeCalls || serverGets != 0 || writer.answered() != getCalls) {
      throw new IllegalStateException("a floor call did not do what it stands for");
    }
  }
}
