package dev.pagecache.spring.boot;

import dev.pagecache.rules.RulesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A start-up that failed on the rules file: the file, the line and the problem, without the stack. */
class RulesFailureAnalyzer extends AbstractFailureAnalyzer<RulesException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, RulesException cause) {
    return new FailureAnalysis("pagecache could not use its rules: " + cause.getMessage(),
        "Fix the rules file, or point pagecache.rules at the right one (classpath:... or file:...).", cause);
  }
}
