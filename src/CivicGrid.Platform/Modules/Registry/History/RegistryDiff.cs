using System.Globalization;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CivicGrid.Modules.Registry.History;

/// <summary>
/// Which fields of a registry record differ between two states, read from the EF model so every
/// record type is covered without a list per type. Conventions: a <c>byte[]</c> property named
/// <c>…Cipher</c> is a protected field named without the suffix (<c>PhoneCipher</c> → <c>phone</c>);
/// it changed when its blind index <c>…Index</c> changed (a ciphertext changes on every encryption)
/// and is recorded without values; the indexes themselves and bookkeeping columns are not fields.
/// </summary>
internal static class RegistryDiff
{
    public const int MaxValueLength = 1000;

    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        "Id", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy", "NameInitials",
    };

    /// <summary>One changed field.</summary>
    public readonly record struct FieldChange(string Field, string? Old, string? New, bool Protected);

    /// <summary>The record type's name in the history: <c>Person</c> → <c>person</c>.</summary>
    public static string KindOf(Type type) => char.ToLowerInvariant(type.Name[0]) + type.Name[1..];

    /// <summary>
    /// The fields that differ; <paramref name="oldValue"/> or <paramref name="newValue"/> null for a
    /// created or deleted record (every field with a value is listed). <paramref name="include"/> limits the properties compared.
    /// </summary>
    public static List<FieldChange> Compare(IEntityType type, Func<IProperty, object?>? oldValue, Func<IProperty, object?>? newValue,
        Func<IProperty, bool>? include = null)
    {
        var changes = new List<FieldChange>();
        foreach (var property in type.GetProperties())
        {
            var name = property.Name;
            if (Bookkeeping.Contains(name) || property.IsShadowProperty() || (include is not null && !include(property)))
            {
                continue;
            }
            var before = oldValue?.Invoke(property);
            var after = newValue?.Invoke(property);
            if (property.ClrType == typeof(byte[]))
            {
                if (name.EndsWith("Index", StringComparison.Ordinal))
                {
                    continue;
                }
                var field = name.EndsWith("Cipher", StringComparison.Ordinal) ? name[..^"Cipher".Length] : name;
                // The blind index tells whether the clear value changed; a ciphertext differs on every write.
                var index = type.FindProperty(field + "Index");
                var (a, b) = index is not null && (include is null || include(index))
                    ? (oldValue?.Invoke(index) as byte[], newValue?.Invoke(index) as byte[])
                    : (before as byte[], after as byte[]);
                if (!SameBytes(a, b))
                {
                    changes.Add(new FieldChange(Camel(field), null, null, Protected: true));
                }
                continue;
            }
            var old = Format(before);
            var current = Format(after);
            if (!string.Equals(old, current, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(Camel(name), old, current, Protected: false));
            }
        }
        return changes;
    }

    /// <summary>A value as the history shows it: invariant, ISO dates, enum names; an empty string is no value.</summary>
    public static string? Format(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => s,
            Enum e => e.ToString(),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return text.Length <= MaxValueLength ? text : text[..MaxValueLength];
    }

    /// <summary>The rows of one change set of one record.</summary>
    public static IEnumerable<RegistryChange> Rows(IEnumerable<FieldChange> changes, IRegistryRecord record, Type type, string operation,
        string by, DateTimeOffset at)
    {
        var set = Guid.CreateVersion7(at);
        foreach (var change in changes)
        {
            yield return new RegistryChange
            {
                Id = Guid.CreateVersion7(at),
                ChangeSetId = set,
                EntityType = KindOf(type),
                RecordId = record.Id,
                GridCode = record.GridCode,
                Operation = operation,
                Field = change.Field,
                OldValue = change.Protected ? null : change.Old,
                NewValue = change.Protected ? null : change.New,
                Protected = change.Protected,
                ChangedBy = by.Length <= 64 ? by : by[..64],
                ChangedAt = at,
            };
        }
    }

    private static bool SameBytes(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
