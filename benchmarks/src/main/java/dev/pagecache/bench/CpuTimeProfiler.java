package dev.pagecache.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the benchmark JVM per operation, in µs: {@code -prof dev.pagecache.bench.CpuTimeProfiler}.
 *
 * <p>On a shared 2-core machine, another process that takes a core stretches wall time
 * (ops/s, µs/op) but not the CPU a request costs, so this figure moves much less between runs.
 * It counts the whole process: the benchmark thread (which, through {@code LocalConnector}, runs
 * Jetty's handling too), GC and JIT threads. So it is a request's full CPU cost, allocation
 * included, like the "server CPU per request" column of PERFORMANCE.md.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;

  @Override
  public String getDescription() {
    return "process CPU time per operation (µs/op)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuAtStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long cpuNanos = os.getProcessCpuTime() - cpuAtStart;
    long ops = result.getMetadata().getAllOps();
    double perOp = ops == 0 ? Double.NaN : cpuNanos / 1000.0 / ops;
    return List.of(new ScalarResult("cpu.per.op", perOp, "us/op", AggregationPolicy.AVG));
  }
}
