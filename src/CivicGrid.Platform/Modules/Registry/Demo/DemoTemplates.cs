using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Templates;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Demo;

/// <summary>The three 一表通 templates of the demo district, as departments would ask for them.</summary>
internal sealed class DemoTemplates(CivicGridDbContext db, TimeProvider time) : IDemoTemplates
{
    public const string Elderly = "60岁以上独居老人花名册";
    public const string Veterans = "退役军人信息采集表";
    public const string Hardship = "困难家庭台账";

    private static TemplateColumn F(string key) => new(ColumnKinds.Field, key, TemplateCatalog.Fields[key]);

    private static TemplateColumn D(string key) => new(ColumnKinds.Derived, key, TemplateCatalog.Derived[key]);

    /// <summary>The demo definitions: name, description, department, filter, columns.</summary>
    public static IReadOnlyList<(string Name, string Description, string Department, TemplateFilter Filter, TemplateColumn[] Columns)> Definitions { get; } =
    [
        (Elderly, "民政部门的独居老人关爱名单：年满 60 周岁、标记为独居老人的居民。", "民政局",
            new TemplateFilter(TagsAll: ["独居老人"], AgeMin: 60),
            [
                D(TemplateCatalog.Township), D(TemplateCatalog.Community), D(TemplateCatalog.GridName), F(TemplateCatalog.Name),
                F(TemplateCatalog.Sex), D(TemplateCatalog.Age), F(TemplateCatalog.IdNumber), F(TemplateCatalog.Phone), F(TemplateCatalog.Address),
                new(ColumnKinds.Extra, "emergencyContact", "紧急联系人电话", ExtraTypes.Text, Required: true),
                new(ColumnKinds.Extra, "health", "健康状况", ExtraTypes.Choice, ["良好", "一般", "较差", "失能"], Required: true),
                new(ColumnKinds.Extra, "lastVisit", "最近走访日期", ExtraTypes.Date),
            ]),
        (Veterans, "退役军人事务部门的信息采集：标记为退役军人的居民，补充服役信息。", "退役军人事务局",
            new TemplateFilter(TagsAll: ["退役军人"]),
            [
                F(TemplateCatalog.Name), F(TemplateCatalog.Sex), F(TemplateCatalog.BirthDate), F(TemplateCatalog.Ethnicity),
                F(TemplateCatalog.IdNumber), F(TemplateCatalog.Phone), D(TemplateCatalog.GridName),
                new(ColumnKinds.Extra, "unit", "服役部队", ExtraTypes.Text, Required: true),
                new(ColumnKinds.Extra, "enlisted", "入伍年份", ExtraTypes.Number, Required: true),
                new(ColumnKinds.Extra, "discharged", "退役年份", ExtraTypes.Number),
            ]),
        (Hardship, "困难家庭台账：低保户与残疾人，补充困难类型与月收入。", "民政局",
            new TemplateFilter(TagsAny: ["低保", "残疾人"]),
            [
                D(TemplateCatalog.Township), D(TemplateCatalog.Community), D(TemplateCatalog.GridName), F(TemplateCatalog.Name),
                F(TemplateCatalog.Sex), D(TemplateCatalog.Age), F(TemplateCatalog.HouseholdType), F(TemplateCatalog.Tags), F(TemplateCatalog.Address),
                new(ColumnKinds.Extra, "hardship", "困难类型", ExtraTypes.Choice, ["低保", "低边", "特困", "残疾", "其他"], Required: true),
                new(ColumnKinds.Extra, "income", "家庭月收入（元）", ExtraTypes.Number),
            ]),
    ];

    public async Task<int> SeedAsync(string area, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        var existing = await db.Set<ReportTemplate>().IgnoreQueryFilters().Where(t => t.OwnerCode == area).Select(t => t.Name)
            .ToListAsync(cancellationToken);
        var added = 0;
        foreach (var (name, description, department, filter, columns) in Definitions.Where(d => !existing.Contains(d.Name)))
        {
            var now = time.GetUtcNow();
            db.Add(new ReportTemplate(Guid.CreateVersion7(now), now, DemoPersons.Actor)
            {
                Name = name,
                Description = description,
                OwnerCode = area,
                DepartmentCode = department,
                Filter = filter,
                Columns = columns,
            });
            added++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return added;
    }
}
