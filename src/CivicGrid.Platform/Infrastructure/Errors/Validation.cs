namespace CivicGrid.Infrastructure.Errors;

/// <summary>
/// Collects field errors for one use case's input. The same validator serves the API, the pages
/// and the importers, so a rule is written once.
/// </summary>
public sealed class FieldErrors
{
    // Made at the first error: most inputs (an import's rows) break no rule.
    private Dictionary<string, List<string>>? _errors;

    /// <summary>True when no rule was broken.</summary>
    public bool IsEmpty => _errors is null || _errors.Count == 0;

    /// <summary>Records that <paramref name="field"/> broke a rule.</summary>
    public FieldErrors Add(string field, string message)
    {
        _errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
        return this;
    }

    /// <summary>Adds the error when <paramref name="broken"/> is true.</summary>
    public FieldErrors When(bool broken, string field, string message) => broken ? Add(field, message) : this;

    /// <summary>The errors as a read-only map, field to messages.</summary>
    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        (_errors ?? []).ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>A validation <see cref="Error"/> with these fields, or null when there are none.</summary>
    public Error? ToError(string code = "request.validation_failed", string message = "输入有误，请检查标出的字段。") =>
        IsEmpty ? null : Error.Validation(code, message, ToDictionary());
}
