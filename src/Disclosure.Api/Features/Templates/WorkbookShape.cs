using System.Xml;

namespace Disclosure.Api.Features.Templates;

/// <summary>
/// What an uploaded workbook's XML may hold before the OpenXML SDK builds its tree of it: one streaming pass over each
/// inflated part, DTDs prohibited, that refuses (400, naming the sheet as Excel shows it on its tab, or else the part)
/// nesting the SDK would recurse into until the process dies of a stack overflow, and more shared strings, rows, cells or
/// elements than the largest template ever filled in (分单位填报 for 1 000 reporters; the README gives its size). The SDK's
/// tree costs memory by the element, so the cells and elements are capped nearer that template than the rest.
/// </summary>
internal sealed class WorkbookShape
{
    /// <summary>Nesting: a template's parts nest 6 deep, a chart's or drawing's about 15; the SDK overflows the stack near 100 000.</summary>
    public const int MaxDepth = 64;

    /// <summary>Shared strings (si): a template writes none (inline text); Excel's save makes one per distinct text.</summary>
    public const int MaxSharedStrings = 100_000;

    /// <summary>Rows, all sheets together.</summary>
    public const int MaxRows = 100_000;

    /// <summary>Cells, all sheets together.</summary>
    public const int MaxCells = 300_000;

    /// <summary>Elements, all parts together: each is a node of the SDK's tree.</summary>
    public const int MaxElements = 700_000;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    /// <summary>Where Excel, WPS and the SDK keep the workbook, which names the sheets, and its relationships, which say their parts.</summary>
    public const string WorkbookPart = "xl/workbook.xml", WorkbookRelationships = "xl/_rels/workbook.xml.rels";

    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private int strings, rows, cells, elements;

    // Read in the same pass as the caps from the two parts above, which the caller checks first (a few hundred bytes).
    private readonly Dictionary<string, string> sheetNames = new(StringComparer.Ordinal); // relationship id → name
    private readonly Dictionary<string, string> parts = new(StringComparer.OrdinalIgnoreCase); // part → relationship id

    /// <summary>
    /// Reads <paramref name="part"/>'s XML as a stream and counts it against the workbook's caps; a <see cref="WorkbookException"/>
    /// naming the sheet (or the part that is no sheet) and the cap it passes. A part that is not XML (an image), or stops being
    /// well-formed, is read up to where it stops: the SDK's reader, should it load the part, stops there too, having nested no deeper than was looked at here.
    /// </summary>
    public void Check(string part, Stream xml)
    {
        using var reader = XmlReader.Create(xml, Settings);
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                if (reader.Depth >= MaxDepth) throw TooDeep(Where(part));
                Count(ref elements, MaxElements, part, "个 XML 元素", "XML elements");
                switch (reader.LocalName)
                {
                    case "si": Count(ref strings, MaxSharedStrings, part, "条共享文本", "shared strings"); break;
                    case "row": Count(ref rows, MaxRows, part, "行", "rows"); break;
                    case "c": Count(ref cells, MaxCells, part, "个单元格", "cells"); break;
                    case "sheet" when part == WorkbookPart:
                        if (reader.GetAttribute("id", RelationshipsNamespace) is { } id && reader.GetAttribute("name") is { Length: > 0 } name) sheetNames.TryAdd(id, name);
                        break;
                    case "Relationship" when part == WorkbookRelationships:
                        if (reader.GetAttribute("Id") is { } rid && reader.GetAttribute("Target") is { Length: > 0 } target) parts.TryAdd(PartOf(target), rid);
                        break;
                }
            }
        }
        catch (XmlException)
        {
            // Not XML, or not well-formed past here: see above.
        }
    }

    /// <summary>A relationship's target, relative to the workbook's folder or (with a leading slash) to the package, as a part's name.</summary>
    private static string PartOf(string target) => target.StartsWith('/') ? target[1..] : "xl/" + (target.StartsWith("./", StringComparison.Ordinal) ? target[2..] : target);

    /// <summary>The part as a person finds it: the sheet's name as Excel shows it on its tab (表4), with the part after it; the part alone when it is no sheet.</summary>
    private (string Zh, string En) Where(string part) =>
        parts.TryGetValue(part, out var id) && sheetNames.TryGetValue(id, out var sheet)
            ? ($"工作表“{sheet}”", $"sheet '{sheet}', part {part}")
            : ($" {part} 部分", $"part '{part}'");

    private void Count(ref int counted, int cap, string part, string zh, string en)
    {
        if (++counted <= cap) return;
        var (whereZh, whereEn) = Where(part);
        throw new WorkbookException($"这个文件（至{whereZh}）超过 {cap} {zh}，比最大的分单位填报模板还多得多：如在表格下方的空行或整列设置了格式（边框、字体、底色），请选中这些空行清除格式后保存再上传；否则请上传从本系统下载并填好的模板。" +
            $"The workbook has more than {cap} {en} (at its {whereEn}), far more than the largest template: clear the formatting of the empty rows or whole columns below the table and save it again, or upload a template downloaded from this service.");
    }

    private static WorkbookException TooDeep((string Zh, string En) where) =>
        new($"这个文件的{where.Zh}中 XML 元素嵌套超过 {MaxDepth} 层，不是填好的模板（模板只有几层）：请上传从本系统下载并填好的模板，或在 Excel 或 WPS 中另存为 .xlsx 后再上传。" +
            $"The workbook nests XML elements more than {MaxDepth} deep in its {where.En}; a template nests a few.");
}
