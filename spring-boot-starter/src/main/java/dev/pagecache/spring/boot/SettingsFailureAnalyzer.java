package dev.pagecache.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A start-up that failed on a {@code pagecache.*} property: which one, and why. */
class SettingsFailureAnalyzer extends AbstractFailureAnalyzer<PageCacheSettingsException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, PageCacheSettingsException cause) {
    return new FailureAnalysis("pagecache could not use its settings: " + cause.getMessage(),
        "Correct " + cause.property() + " in the application's configuration.", cause);
  }
}
