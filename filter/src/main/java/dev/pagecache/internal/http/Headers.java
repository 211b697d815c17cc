package dev.pagecache.internal.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An immutable, ordered list of response header fields. Names keep the case they were set with;
 * lookup ignores case (with {@link Locale#ROOT}, so a Turkish default locale cannot turn
 * {@code ETAG} into something else). Values of a repeated field keep their order.
 */
public final class Headers {
  private static final Headers EMPTY = new Headers(List.of());

  private final List<Field> fields;

  /** One header field: a name and its values, in the order they were added. */
  public record Field(String name, List<String> values) {
    public Field {
      values = List.copyOf(values);
    }

    public String firstValue() {
      return values.get(0);
    }
  }

  private Headers(List<Field> fields) {
    this.fields = fields;
  }

  public static Headers empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Field> fields() {
    return fields;
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  public Optional<String> first(String name) {
    for (Field field : fields) {
      if (field.name.equalsIgnoreCase(name)) {
        return Optional.of(field.firstValue());
      }
    }
    return Optional.empty();
  }

  public List<String> all(String name) {
    for (Field field : fields) {
      if (field.name.equalsIgnoreCase(name)) {
        return field.values;
      }
    }
    return List.of();
  }

  public boolean contains(String name) {
    return first(name).isPresent();
  }

  /** Values of a comma-separated list header, every field line split and trimmed. */
  public List<String> tokens(String name) {
    List<String> tokens = new ArrayList<>();
    for (String value : all(name)) {
      for (String token : value.split(",")) {
        String trimmed = token.trim();
        if (!trimmed.isEmpty()) {
          tokens.add(trimmed);
        }
      }
    }
    return tokens;
  }

  /** Bytes these headers take on the wire, as an estimate of what an entry costs to keep. */
  public int byteSize() {
    int size = 0;
    for (Field field : fields) {
      for (String value : field.values) {
        size += field.name.length() + value.length() + 4;
      }
    }
    return size;
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    for (Field field : fields) {
      for (String value : field.values) {
        builder.add(field.name, value);
      }
    }
    return builder;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Headers headers && headers.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return fields.toString();
  }

  /** Collects fields in order; {@link #set} replaces every earlier value of a name. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<List<String>> values = new ArrayList<>();

    private Builder() {}

    public Builder add(String name, String value) {
      int index = indexOf(name);
      if (index < 0) {
        names.add(name);
        List<String> list = new ArrayList<>(1);
        list.add(value);
        values.add(list);
      } else {
        values.get(index).add(value);
      }
      return this;
    }

    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    public Builder remove(String name) {
      int index = indexOf(name);
      if (index >= 0) {
        names.remove(index);
        values.remove(index);
      }
      return this;
    }

    public boolean contains(String name) {
      return indexOf(name) >= 0;
    }

    public List<String> get(String name) {
      int index = indexOf(name);
      return index < 0 ? List.of() : Collections.unmodifiableList(values.get(index));
    }

    public Builder clear() {
      names.clear();
      values.clear();
      return this;
    }

    private int indexOf(String name) {
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(name)) {
          return i;
        }
      }
      return -1;
    }

    public Headers build() {
      if (names.isEmpty()) {
        return EMPTY;
      }
      List<Field> fields = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        fields.add(new Field(names.get(i), values.get(i)));
      }
      return new Headers(List.copyOf(fields));
    }
  }
}
