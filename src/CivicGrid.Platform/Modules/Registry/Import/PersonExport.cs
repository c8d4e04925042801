using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using MiniExcelLibs;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>
/// The persons list as an .xlsx (导出): the same filter as the list, numbers masked, rows streamed
/// from the database into a temporary file (MiniExcel writes a zip, which needs a seekable stream),
/// audited with the filter and the count.
/// </summary>
internal sealed class PersonExport(PersonDirectory directory, ICaller caller, IAuditLog audit, TimeProvider time)
{
    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Writes the export into a temporary file (deleted when the returned stream is closed).</summary>
    public async Task<Result<Stream>> ExportAsync(string? within, string? q, string? tag, CancellationToken cancellationToken)
    {
        var filtered = await directory.FilterAsync(new FieldErrors(), within, q, null, null, tag, cancellationToken);
        if (!filtered.IsSuccess)
        {
            return filtered.Error!;
        }
        var today = PersonRules.Today(time);
        var count = 0;
        IEnumerable<IDictionary<string, object?>> Rows()
        {
            foreach (var person in filtered.Value.OrderBy(p => p.GridCode).ThenBy(p => p.Id).AsEnumerable())
            {
                count++;
                var v = directory.ViewOf(person, today);
                yield return new Dictionary<string, object?>
                {
                    ["姓名"] = v.Name,
                    ["证件类型"] = v.DocumentType.ToString(),
                    ["证件号码"] = v.IdNumber,
                    ["性别"] = v.Sex == Sex.Male ? "男" : "女",
                    ["年龄"] = v.Age,
                    ["民族"] = v.EthnicityName,
                    ["户籍类型"] = v.HouseholdType switch
                    {
                        HouseholdType.Floating => "流动",
                        HouseholdType.Overseas => "境外",
                        _ => "户籍",
                    },
                    ["联系电话"] = v.Phone,
                    ["现住址"] = v.Address,
                    ["网格编码"] = v.GridCode,
                    ["标签"] = string.Join("、", v.Tags),
                };
            }
        }
        var path = Path.Combine(Path.GetTempPath(), $"civicgrid-export-{Guid.NewGuid():N}.xlsx");
        var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            // The query runs synchronously while MiniExcel writes: the rows are never all in memory.
            MiniExcel.SaveAs(output, Rows(), sheetName: "人员", excelType: ExcelType.XLSX);
            output.Position = 0;
        }
        catch
        {
            await output.DisposeAsync();
            throw;
        }
        var detail = JsonSerializer.Serialize(new Dictionary<string, object?> { ["within"] = within, ["q"] = q, ["tag"] = tag, ["rows"] = count },
            DetailJson);
        await audit.AppendAsync(new AuditEntry(caller.Name, "registry.persons_exported", "persons", detail, caller.Ip), cancellationToken);
        return output;
    }
}
