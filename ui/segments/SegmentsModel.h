#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QAbstractTableModel>

#include <vector>

namespace flywheel::ui {

/// The segments of a set (the one in force, or the operator's draft), one per row, with
/// each segment's live size when the backend has counted it.
class SegmentsModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Id, Name, Expression, Priority, Cap, Channels, Enabled, Size, ColumnCount };

    explicit SegmentsModel(QObject *parent = nullptr);

    /// `segments` are shown; sizes come from `live` (the set in force), for segments
    /// whose id and expression are the same there. Keeps the rows (and the view's
    /// selection) when only values changed.
    void setSegments(std::vector<v1::Segment> segments, const v1::SegmentSetVersion &live);
    const std::vector<v1::Segment> &segments() const { return m_segments; }
    /// -1 when there is none.
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct LiveSize {
        bool known = false;
        qint64 size = 0;
        google::protobuf::Timestamp at;
    };
    std::vector<v1::Segment> m_segments;
    std::vector<LiveSize> m_sizes;
};

} // namespace flywheel::ui
