using CivicGrid.Infrastructure.Api;
using CivicGrid.Modules.Registry.Special;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary>
/// <c>/registry/special</c>: the special-population registers for holders of <c>registry.special</c>;
/// 404 for everyone else (as the API). Each view is an audited read.
/// </summary>
public sealed class SpecialModel : PageModel
{
    /// <summary>Entries per page.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public SpecialRegisterKind? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    internal Paged<SpecialRegisterView>? Entries { get; private set; }

    /// <summary>Pages of entries.</summary>
    public int PageCount => Entries is null ? 0 : Math.Max(1, (Entries.Total + Entries.PageSize - 1) / Entries.PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var registers = HttpContext.RequestServices.GetRequiredService<SpecialRegisters>();
        if (!registers.Allowed())
        {
            return NotFound();
        }
        var result = await registers.ListAsync(Kind, null, null, Math.Max(1, PageNumber), PageSize, cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }
        Entries = result.Value;
        return Page();
    }

    /// <summary>A register's name.</summary>
    public static string KindName(SpecialRegisterKind kind) => kind switch
    {
        SpecialRegisterKind.ReleasedPrisoner => "刑满释放人员",
        SpecialRegisterKind.CommunityCorrection => "社区矫正对象",
        SpecialRegisterKind.SevereMentalDisorder => "严重精神障碍患者",
        SpecialRegisterKind.DrugUser => "吸毒人员",
        SpecialRegisterKind.AtRiskYouth => "重点青少年",
        _ => kind.ToString(),
    };

    /// <summary>A risk level's name.</summary>
    public static string RiskName(RiskLevel level) => level switch
    {
        RiskLevel.High => "高",
        RiskLevel.Medium => "中",
        _ => "低",
    };
}
