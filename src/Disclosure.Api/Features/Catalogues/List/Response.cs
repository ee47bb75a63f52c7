using Disclosure.Catalogue;

namespace Disclosure.Api.Features.Catalogues.List;

sealed class Response
{
    public required IReadOnlyList<Item> Items { get; init; }

    public sealed class Item
    {
        /// <summary>Stable catalogue id, e.g. <c>gov-info-disclosure-2014</c>.</summary>
        public required string Id { get; init; }
        public required string Title { get; init; }
        public required string TitleEn { get; init; }
        public required PeriodPolicyDocument Periods { get; init; }
        /// <summary>How many cells carry a value.</summary>
        public required int Cells { get; init; }
    }
}
