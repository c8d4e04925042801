using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// Which part of the division tree the current caller may read: the subtrees under
/// <see cref="Roots"/> (code prefixes) and, for reference data, the <see cref="Ancestors"/> above
/// them. Every query on a jurisdiction-scoped table is filtered by it in
/// <see cref="CivicGridDbContext"/>, so no endpoint has to remember to (docs/adr/0007).
/// </summary>
public interface IDataScope
{
    /// <summary>True for the system itself (CLI, start-up, background jobs): no filter.</summary>
    bool Unrestricted { get; }

    /// <summary>The caller's jurisdiction codes, none under another; empty for an anonymous caller (sees nothing).</summary>
    IReadOnlyList<string> Roots { get; }

    /// <summary>The codes above the roots (visible on reference data such as divisions, never on people's data).</summary>
    IReadOnlyList<string> Ancestors { get; }
}

/// <summary>The scope of the system itself: everything. Used where no request is being served.</summary>
public sealed class SystemDataScope : IDataScope
{
    /// <summary>The one instance.</summary>
    public static readonly SystemDataScope Instance = new();

    /// <inheritdoc />
    public bool Unrestricted => true;

    /// <inheritdoc />
    public IReadOnlyList<string> Roots => [];

    /// <inheritdoc />
    public IReadOnlyList<string> Ancestors => [];
}

/// <summary>How an entity is scoped; set in its configuration with <see cref="DataScopeModelExtensions.ScopedBy{T}"/>.</summary>
internal sealed record ScopeRule(string Property, bool AncestorsVisible)
{
    public const string Annotation = "CivicGrid:Scope";
}

/// <summary>Declares an entity as jurisdiction-scoped in its <see cref="IEntityTypeConfiguration{TEntity}"/>.</summary>
public static class DataScopeModelExtensions
{
    /// <summary>
    /// Rows of this entity are visible only when <paramref name="code"/> lies under one of the
    /// caller's roots (or, with <paramref name="ancestorsVisible"/>, is one of their ancestors).
    /// </summary>
    public static EntityTypeBuilder<T> ScopedBy<T>(this EntityTypeBuilder<T> builder, Expression<Func<T, string?>> code,
        bool ancestorsVisible = false) where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(code);
        var member = (code.Body as MemberExpression)?.Member.Name
            ?? throw new ArgumentException("Pass a property access such as e => e.Code.", nameof(code));
        builder.HasAnnotation(ScopeRule.Annotation, $"{member}|{ancestorsVisible}");
        return builder;
    }
}
