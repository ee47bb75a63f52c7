namespace Disclosure.Api.Features.Templates.ReadReporters;

/// <summary>The table and period whose filled-in 分单位填报 workbook is read; the workbook is the body.</summary>
sealed class Request
{
    /// <summary>Catalogue id.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period, e.g. 2014 or 2014Q3.</summary>
    public string Period { get; set; } = "";
}
