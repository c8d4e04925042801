using System.Reflection;
using CivicGrid.Infrastructure.Data;
using NetArchTest.Rules;

namespace CivicGrid.Tests.Foundation;

/// <summary>Modules reach each other only through their public contracts.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Platform = typeof(CivicGridDbContext).Assembly;

    private static IEnumerable<string> Modules() => Platform.GetTypes()
        .Select(t => t.Namespace)
        .OfType<string>()
        .Where(n => n.StartsWith("CivicGrid.Modules.", StringComparison.Ordinal))
        .Select(n => n.Split('.')[2])
        .Distinct();

    [Fact]
    public void There_are_modules_to_check()
    {
        Modules().Should().Contain(["Geography", "Demo", "Identity"]);
    }

    [Fact]
    public void A_module_uses_another_module_only_through_its_contracts()
    {
        var modules = Modules().ToList();
        var moduleTypes = Platform.GetTypes()
            .Where(t => t.Namespace?.StartsWith("CivicGrid.Modules.", StringComparison.Ordinal) == true && !t.IsNested)
            .ToList();
        var failures = new List<string>();
        foreach (var module in modules)
        {
            // Full type names, not namespaces: a module's root namespace is a prefix of its Contracts.
            var forbidden = moduleTypes
                .Where(t => t.Namespace!.Split('.')[2] != module && !t.Namespace!.EndsWith(".Contracts", StringComparison.Ordinal))
                .Select(t => t.FullName!)
                .ToArray();
            if (forbidden.Length == 0)
            {
                continue;
            }
            var result = Types.InAssembly(Platform)
                .That().ResideInNamespaceStartingWith($"CivicGrid.Modules.{module}")
                .ShouldNot().HaveDependencyOnAny(forbidden)
                .GetResult();
            if (!result.IsSuccessful)
            {
                failures.AddRange(result.FailingTypeNames ?? []);
            }
        }
        failures.Should().BeEmpty("modules may only use each other's Contracts namespace");
    }

    [Fact]
    public void Nothing_reads_the_wall_clock_directly()
    {
        // The banned-API analyzer stops DateTime.Now/UtcNow at build; this keeps the list from being emptied.
        var banned = File.ReadAllText(Path.Combine(RepositoryRoot(), "BannedSymbols.txt"));
        banned.Should().Contain("P:System.DateTime.UtcNow").And.Contain("P:System.DateTimeOffset.UtcNow")
            .And.Contain("EnsureCreated");
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CivicGrid.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
