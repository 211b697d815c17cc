package dev.pagecache.internal.policy;

/** How a {@code GET} is answered from a complete representation: whole, one slice of it, or 416. */
public sealed interface RangeAnswer {
  /** The whole representation, as a 200: no range asked for, or none to honour. */
  RangeAnswer WHOLE = new Whole();

  /** See {@link #WHOLE}. */
  record Whole() implements RangeAnswer {}

  /**
   * 206 Partial Content: bytes {@code first} to {@code last} inclusive.
   *
   * @param completeLength the length of the whole representation
   */
  record Partial(long first, long last, long completeLength) implements RangeAnswer {
    public long length() {
      return last - first + 1;
    }

    /** RFC 9110 §14.4: {@code bytes 0-499/1234}. */
    public String contentRange() {
      return "bytes " + first + '-' + last + '/' + completeLength;
    }
  }

  /** 416 Range Not Satisfiable: the range starts past the end. */
  record Unsatisfiable(long completeLength) implements RangeAnswer {
    /** RFC 9110 §14.4: {@code bytes *}{@code /1234}. */
    public String contentRange() {
      return "bytes */" + completeLength;
    }
  }
}
