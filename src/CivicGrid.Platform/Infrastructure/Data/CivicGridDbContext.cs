using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// The one EF Core model of the platform. Each module adds its tables through
/// <see cref="IEntityTypeConfiguration{TEntity}"/> classes in its own folder; modules never
/// read each other's tables (an architecture test keeps it so). Tables declared
/// <see cref="DataScopeModelExtensions.ScopedBy{T}"/> get a global query filter to the caller's
/// jurisdiction (<see cref="IDataScope"/>); system code that must see everything says so with
/// <c>IgnoreQueryFilters()</c>.
/// </summary>
public sealed class CivicGridDbContext(DbContextOptions<CivicGridDbContext> options, IDataScope? scope = null) : DbContext(options)
{
    /// <summary>More roots than this are refused when a role is assigned; unused slots never match.</summary>
    public const int MaxScopeRoots = 4;

    // A prefix no code starts with (codes are digits): fills the unused root slots.
    private const string NoRoot = "~";

    private readonly IDataScope _scope = scope ?? SystemDataScope.Instance;

    // Read by the query filters: EF Core turns these into parameters of every query.
    private bool ScopeAll => _scope.Unrestricted;

    private string ScopeRoot0 => Root(0);

    private string ScopeRoot1 => Root(1);

    private string ScopeRoot2 => Root(2);

    private string ScopeRoot3 => Root(3);

    private List<string> ScopeAncestors => [.. _scope.Ancestors];

    private string Root(int i)
    {
        var roots = _scope.Roots;
        if (roots.Count > MaxScopeRoots)
        {
            throw new InvalidOperationException($"A caller may hold at most {MaxScopeRoots} jurisdictions.");
        }
        return i < roots.Count ? roots[i] : NoRoot;
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CivicGridDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().ToList())
        {
            if (entity.FindAnnotation(ScopeRule.Annotation)?.Value is string rule)
            {
                var parts = rule.Split('|');
                entity.SetQueryFilter(ScopeFilter(entity.ClrType, parts[0], bool.Parse(parts[1])));
                // A marker for this method only: keep it out of the migrations' model snapshot.
                entity.RemoveAnnotation(ScopeRule.Annotation);
            }
        }
    }

    /// <summary><c>e => ScopeAll || code.StartsWith(ScopeRoot0) || … [|| ScopeAncestors.Contains(code)]</c>.</summary>
    private LambdaExpression ScopeFilter(Type clrType, string property, bool ancestorsVisible)
    {
        var e = Expression.Parameter(clrType, "e");
        var code = Expression.Call(typeof(EF), nameof(EF.Property), [typeof(string)], e, Expression.Constant(property));
        var self = Expression.Constant(this);
        Expression Member(string name) => Expression.Property(self,
            typeof(CivicGridDbContext).GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic)!);
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;

        Expression body = Member(nameof(ScopeAll));
        foreach (var root in new[] { nameof(ScopeRoot0), nameof(ScopeRoot1), nameof(ScopeRoot2), nameof(ScopeRoot3) })
        {
            body = Expression.OrElse(body, Expression.AndAlso(
                Expression.NotEqual(code, Expression.Constant(null, typeof(string))),
                Expression.Call(code, startsWith, Member(root))));
        }
        if (ancestorsVisible)
        {
            body = Expression.OrElse(body, Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(string)],
                Member(nameof(ScopeAncestors)), code));
        }
        return Expression.Lambda(body, e);
    }

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Database.IsSqlite())
        {
            // SQLite cannot compare or order DateTimeOffset text; instants are UTC, so store
            // them as orderable 64-bit numbers. PostgreSQL keeps timestamptz.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
