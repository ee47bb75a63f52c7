using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Writes .xlsx packages that are the same bytes whenever their content is, so that a download is the same file, of the
/// same Content-Length, at every request (and HEAD's length is GET's). Left to itself the SDK draws every relationship id
/// at random and dates every zip entry with the time it was written; here ids are numbered in the order parts are added
/// (<see cref="NextId"/>) and every entry carries one fixed date.
/// </summary>
public static class XlsxPackage
{
    // The earliest date a zip entry can hold (MS-DOS time), as reproducible builds use.
    private static readonly DateTimeOffset EntryDate = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A workbook whose parts <paramref name="build"/> adds to its workbook part, each with an id from <see cref="NextId"/>.</summary>
    public static byte[] Write(Action<WorkbookPart> build)
    {
        using var stream = new MemoryStream();
        // Disposing the package saves the root element of every part (AutoSave is on for a created package).
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            document.ChangeIdOfPart(workbook, "rId1");
            build(workbook);
        }
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
            foreach (var entry in zip.Entries) entry.LastWriteTime = EntryDate;
        return stream.ToArray();
    }

    /// <summary>The relationship id of the next part added to <paramref name="parent"/>: rId1 for its first, rId2 for its second ….</summary>
    public static string NextId(OpenXmlPartContainer parent) => $"rId{parent.Parts.Count() + 1}";
}
