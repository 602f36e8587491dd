"""The names of every function PostHog's HogQL accepts, names only: the simulator needs them
to tell PostHog's "unknown function" answer (with its "Perhaps you meant" hint, which PostHog
picks from these names) from a function PostHog knows that the simulator cannot run. The
arities of the functions the simulator does run are in functions.py.

Transcribed from PostHog/posthog, posthog/hogql/functions/, at the stored versions that could
be read here; they are not one commit of PostHog, so a name added or removed lately may be
missing or extra (this changes only which error a query gets, never a result):

    mapping.py               af2acc5c0e3808d0f5443f6cb074b3b434e1d666
    aggregations.py          ad219e56a6a6979477963436ba98477a40171465
    clickhouse/arithmetic.py f9c86077a97bbe169438c0c8704caa5408a97b7e
    clickhouse/arrays.py     08f73216dfe5402871afde5bca9d67706a8d16e0
    clickhouse/conversions.py d0e90f4d517d08fc6c32e667b4d3cf89fb85f818
    clickhouse/datetime.py   4f155f7be116e3be1cf21c560e3874764cd5b254
    clickhouse/geo.py        db13a077ee454a5c31e2733a6d89e9dcd6c03b2d
    clickhouse/json.py       09b8ff3a46edc79530e12e22a41d36adf285487d
    clickhouse/mathematical.py 64ca40f5422c39443f8c39435a3e2de03a09047a
    clickhouse/strings.py    a6cae86d229342ee93037de34a6ea80657427f30
    udfs.py                  13aa1208d34b120d49734b4c2e61c26973dc120c
    posthog.py               0427008690dfffcc80d62b7434c9fff104de0975
"""

# HOGQL_CLICKHOUSE_FUNCTIONS (mapping.py): the clickhouse/*.py tables, mapping.py's own
# entries, and the UDFs it adds.
CLICKHOUSE = set(
    """
    plus minus multiply divide intDiv intDivOrZero modulo moduloOrZero positiveModulo negate abs
    gcd lcm max2 min2 multiplyDecimal divideDecimal

    empty notEmpty isEmpty isNotEmpty length reverse array range arrayConcat arrayElement has
    hasAll hasAny hasSubstr indexOf arrayCount countEqual arrayEnumerate arrayEnumerateUniq
    arrayPopBack arrayPopFront arrayPushBack arrayPushFront arrayResize arraySlice arraySort
    arrayReverseSort arrayUniq arrayJoin arrayDifference arrayDistinct arrayEnumerateDense
    arrayIntersect arrayReduce arrayReverse arrayFilter arrayFlatten arrayCompact arrayZip
    arrayAUC arrayMap arrayFill arrayFold arrayWithConstant arraySplit arrayReverseFill
    arrayReverseSplit arrayRotateLeft arrayRotateRight arrayExists arrayAll arrayFirst arrayLast
    arrayFirstIndex arrayLastIndex arrayMin arrayMax arraySum arrayAvg arrayCumSum
    arrayCumSumNonNegative arrayProduct arrayStringConcat generateSeries

    hex unhex reinterpretAsUInt8 reinterpretAsUInt16 reinterpretAsUInt32 reinterpretAsUInt64
    reinterpretAsUInt128 reinterpretAsUInt256 reinterpretAsInt8 reinterpretAsInt16
    reinterpretAsInt32 reinterpretAsInt64 reinterpretAsInt128 reinterpretAsInt256
    reinterpretAsFloat32 reinterpretAsFloat64 reinterpretAsUUID toInt toIntOrZero _toInt8
    _toInt16 _toInt32 _toInt64 _toUInt64 _toUInt128 toFloat toFloatOrZero toFloatOrDefault
    toDecimal _toDate toUUID toString toBool toJSONString parseDateTime parseDateTimeBestEffort
    toTypeName cityHash64 UUIDv7ToDateTime toDate to_date toDateTime toDateTime64 toDateTimeUS
    isnull isNotNull coalesce ifnull nullif assumeNotNull toNullable

    timeZoneOf timeZoneOffset toYear toQuarter toMonth toDayOfYear toDayOfMonth toDayOfWeek
    toHour toMinute toSecond toUnixTimestamp toUnixTimestamp64Milli fromUnixTimestamp64Milli
    toStartOfInterval toStartOfYear toStartOfISOYear toStartOfQuarter toStartOfMonth
    toLastDayOfMonth toMonday toStartOfWeek toStartOfDay toLastDayOfWeek toStartOfHour
    toStartOfMinute toStartOfSecond toStartOfFiveMinutes toStartOfTenMinutes
    toStartOfFifteenMinutes toTime toISOYear toISOWeek toWeek toYearWeek age dateAdd dateSub
    date_bin date_add date_subtract date_diff dateDiff timeStampAdd timeStampSub nowInBlock
    rowNumberInBlock rowNumberInAllBlocks timeSlot toYYYYMM toYYYYMMDD toYYYYMMDDhhmmss addYears
    addMonths addWeeks addDays addHours addMinutes addSeconds addQuarters subtractYears
    subtractMonths subtractWeeks subtractDays subtractHours subtractMinutes subtractSeconds
    subtractQuarters timeSlots formatDateTime dateName monthName fromUnixTimestamp
    toModifiedJulianDay fromModifiedJulianDay now yesterday current_timestamp today current_date
    toIntervalSecond toIntervalMinute toIntervalHour toIntervalDay toIntervalWeek toIntervalMonth
    toIntervalQuarter toIntervalYear date_part date_trunc dateTrunc to_timestamp to_char
    make_timestamp make_date make_interval make_timestamptz timezone toTimeZone

    greatCircleDistance geoDistance greatCircleAngle pointInEllipses pointInPolygon geohashEncode
    geohashDecode geohashesInBox h3IsValid h3GetResolution h3GetBaseCell h3EdgeAngle
    h3EdgeLengthM h3EdgeLengthKm geoToH3 h3ToGeo h3ToGeoBoundary h3kRing h3HexAreaM2
    h3HexAreaKm2 h3IndexesAreNeighbors h3ToChildren h3ToParent h3ToString stringToH3
    h3IsResClassIII h3IsPentagon h3GetFaces h3CellAreaM2 h3CellAreaRads2 h3ToCenterChild
    h3ExactEdgeLengthM h3ExactEdgeLengthKm h3ExactEdgeLengthRads h3NumHexagons h3PointDistM
    h3PointDistKm h3PointDistRads h3GetRes0Indexes h3GetPentagonIndexes h3Line h3Distance
    h3HexRing h3GetUnidirectionalEdge h3UnidirectionalEdgeIsValid
    h3GetOriginIndexFromUnidirectionalEdge h3GetDestinationIndexFromUnidirectionalEdge
    h3GetIndexesFromUnidirectionalEdge h3GetUnidirectionalEdgesFromHexagon
    h3GetUnidirectionalEdgeBoundary

    isValidJSON JSONHas JSONLength JSONArrayLength JSONType JSONExtract JSONExtractUInt
    JSONExtractInt JSONExtractFloat JSONExtractBool JSONExtractString JSONExtractKey
    JSONExtractKeys JSONExtractRaw JSONExtractArrayRaw JSONExtractKeysAndValues
    JSONExtractKeysAndValuesRaw JSON_VALUE

    e pi exp log ln exp2 log2 exp10 log10 sqrt cbrt erf erfc lgamma tgamma sin cos tan asin acos
    atan pow power intExp2 intExp10 cosh acosh sinh asinh atanh atan2 hypot log1p sign degrees
    radians factorial width_bucket floor ceil trunc round roundBankers roundToExp2 roundDuration
    roundAge roundDown rand

    left right lengthUTF8 leftPad rightPad leftPadUTF8 rightPadUTF8 lower upper lowerUTF8
    upperUTF8 isValidUTF8 toValidUTF8 format reverseUTF8 concat substring substringUTF8
    appendTrailingCharIfAbsent convertCharset base58Encode base58Decode tryBase58Decode
    base64Encode base64Decode tryBase64Decode endsWith startsWith encodeXMLComponent
    decodeXMLComponent extractTextFromHTML ascii concatWithSeparator position
    positionCaseInsensitive positionUTF8 positionCaseInsensitiveUTF8 multiSearchAllPositions
    multiSearchAllPositionsUTF8 multiSearchFirstPosition multiSearchFirstIndex multiSearchAny
    match multiMatchAny multiMatchAnyIndex multiMatchAllIndices multiFuzzyMatchAny
    multiFuzzyMatchAnyIndex multiFuzzyMatchAllIndices extract extractAll
    extractAllGroupsHorizontal extractAllGroupsVertical like ilike notLike notILike
    ngramDistance ngramSearch countSubstrings countSubstringsCaseInsensitive
    countSubstringsCaseInsensitiveUTF8 countMatches regexpExtract replace replaceAll replaceOne
    replaceRegexpAll replaceRegexpOne regexpQuoteMeta translate translateUTF8 splitByChar
    splitByString splitByRegexp splitByWhitespace splitByNonAlpha alphaTokens extractAllGroups
    ngrams tokens repeat initcap lpad rpad split_part ltrim trimLeft rtrim trimRight btrim trim

    equals notEquals less greater lessOrEquals greaterOrEquals in notIn and or xor not if multiIf
    map mapFromArrays mapAdd mapSubtract mapPopulateSeries mapContains mapKeys mapValues
    mapContainsKeyLike mapExtractKeyLike mapApply mapFilter mapUpdate bitAnd bitOr bitXor bitNot
    bitShiftLeft bitShiftRight bitRotateLeft bitRotateRight bitSlice bitTest bitTestAll
    bitTestAny bitCount bitHammingDistance bitmapBuild bitmapToArray bitmapSubsetInRange
    bitmapSubsetLimit subBitmap bitmapContains bitmapHasAny bitmapHasAll bitmapCardinality
    bitmapMin bitmapMax bitmapTransform bitmapAnd bitmapOr bitmapXor bitmapAndnot
    bitmapAndCardinality bitmapOrCardinality bitmapXorCardinality bitmapAndnotCardinality
    protocol domain domainWithoutWWW topLevelDomain firstSignificantSubdomain
    cutToFirstSignificantSubdomain cutToFirstSignificantSubdomainWithWWW port path pathFull
    queryString fragment queryStringAndFragment extractURLParameter extractURLParameters
    extractURLParameterNames URLHierarchy URLPathHierarchy encodeURLComponent decodeURLComponent
    encodeURLFormComponent decodeURLFormComponent netloc cutWWW cutQueryString cutFragment
    cutQueryStringAndFragment cutURLParameter tuple tupleElement untuple tupleHammingDistance
    tupleToNameValuePairs tuplePlus tupleMinus tupleMultiply tupleDivide tupleNegate
    tupleMultiplyByNumber tupleDivideByNumber dotProduct isFinite isInfinite ifNotFinite isNaN
    bar transform formatReadableDecimalSize formatReadableSize formatReadableQuantity
    formatReadableTimeDelta least greatest indexHint extractIPv4Substrings tumble hop tumbleStart
    tumbleEnd hopStart hopEnd L1Norm L2Norm LinfNorm LpNorm L1Distance L2Distance LinfDistance
    LpDistance L1Normalize L2Normalize LinfNormalize LpNormalize cosineDistance rank dense_rank
    row_number first_value last_value nth_value lagInFrame leadInFrame lag lead
    languageCodeToName

    aggregate_funnel aggregate_funnel_array aggregate_funnel_cohort aggregate_funnel_trends
    aggregate_funnel_array_trends aggregate_funnel_cohort_trends aggregate_funnel_json
    aggregate_funnel_array_json aggregate_funnel_cohort_json aggregate_funnel_trends_json
    aggregate_funnel_array_trends_json aggregate_funnel_cohort_trends_json aggregate_funnel_test
    aggregate_funnel_array_trends_test
    """.split()
)

# HOGQL_AGGREGATIONS (aggregations.py); entries commented out there are left out here too.
AGGREGATIONS = set(
    """
    count countIf countState countMerge countStateIf countDistinctIf countMapIf min minIf max
    maxIf sum sumForEach minForEach sumIf avg avgIf avgMap avgMapIf avgMapState avgMapMerge
    avgMapMergeIf any anyIf stddevPop stddevPopIf stddevSamp stddevSampIf varPop varPopIf varSamp
    varSampIf covarPop covarPopIf covarSamp covarSampIf corr array_agg groupArray json_agg
    string_agg every anyHeavy anyHeavyIf anyLast anyLastIf argMin argMinIf argMax argMaxIf
    argMinMerge argMaxMerge avgState avgStateIf avgMerge avgMergeIf avgWeighted avgWeightedIf
    avgArray topK groupArrayIf groupUniqArray groupUniqArrayIf groupArrayInsertAt
    groupArrayInsertAtIf groupArrayMovingAvg groupArrayMovingAvgIf groupArrayMovingSum
    groupArrayMovingSumIf groupArraySample groupArraySampleIf groupBitAnd groupBitAndIf
    groupBitOr groupBitOrIf groupBitXor groupBitXorIf groupBitmap groupBitmapIf groupBitmapAnd
    groupBitmapAndIf groupBitmapOr groupBitmapOrIf groupBitmapXor groupBitmapXorIf
    sumWithOverflow sumWithOverflowIf deltaSum deltaSumIf deltaSumTimestamp deltaSumTimestampIf
    sumMap sumMapIf sumMapMerge sumMapMergeIf minMap minMapIf maxMap maxMapIf sumMerge
    sumMergeIf sumState sumStateIf medianArray skewSamp skewSampIf skewPop skewPopIf kurtSamp
    kurtSampIf kurtPop kurtPopIf uniq uniqIf uniqExact uniqExactIf uniqHLL12 uniqHLL12If
    uniqTheta uniqThetaIf uniqMerge uniqMergeIf uniqMap uniqMapMerge uniqMapMergeIf uniqState
    uniqStateIf uniqUpToMerge uniqExactMerge median medianIf medianExact medianExactIf
    medianExactLow medianExactLowIf medianExactHigh medianExactHighIf medianExactWeighted
    medianExactWeightedIf medianTiming medianTimingIf medianTimingWeighted medianTimingWeightedIf
    medianDeterministic medianDeterministicIf medianTDigest medianTDigestIf medianTDigestWeighted
    medianTDigestWeightedIf medianBFloat16 medianBFloat16If quantile quantileIf quantiles
    quantilesIf simpleLinearRegression simpleLinearRegressionIf contingency contingencyIf
    cramersV cramersVIf cramersVBiasCorrected cramersVBiasCorrectedIf theilsU theilsUIf
    maxIntersections maxIntersectionsIf maxIntersectionsPosition maxIntersectionsPositionIf
    windowFunnel md5
    """.split()
)

# HOGQL_POSTHOG_FUNCTIONS (posthog.py): known, but not among the "Perhaps you meant" names.
POSTHOG = set(
    """
    matchesAction sparkline recordingButton explainCSPReport sortablesemver embedText
    _lookupGeoipCityName _lookupGeoipPostalCode lookupDomainType lookupPaidSourceType
    lookupPaidMediumType lookupOrganicSourceType lookupOrganicMediumType _defaultChannelType
    _domainType convertCurrency getSurveyResponse uniqueSurveySubmissionsFilter getTrafficType
    getTrafficCategory isLikelyBot getBotType getBotName getBotOperator __preview_getTrafficType
    __preview_getTrafficCategory __preview_isBot __preview_getBotType __preview_getBotName
    __preview_getBotOperator
    """.split()
)

# The keys declared case_sensitive=False: PostHog also finds them by the caller's name
# lower-cased (mapping.py _find_function), so IF(...) and isNull(...) (key "isnull") work.
CASE_INSENSITIVE = set(
    """
    count min max sum avg not if least greatest isnull coalesce ifnull nullif now lower upper
    concat substring ascii position extract replace btrim trim length reverse abs max2 min2 exp
    log ln log2 log10 sqrt sin cos tan asin acos atan pow power sign degrees radians factorial
    floor ceil trunc round sortablesemver
    """.split()
)

# HOGQL_COMPARISON_MAPPING (mapping.py): PostHog turns these calls into comparisons.
COMPARISONS = set(
    "equals notEquals less greater lessOrEquals greaterOrEquals like ilike notLike notILike in "
    "notIn".split()
)

# ALL_EXPOSED_FUNCTION_NAMES (mapping.py): the names "Perhaps you meant" is chosen from.
EXPOSED = sorted(n for n in CLICKHOUSE | AGGREGATIONS if not n.startswith("_"))
