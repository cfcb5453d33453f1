import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  AriaComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

// The modular core with only the charts the dashboard draws: the chunk stays small.
echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  AriaComponent,
  SVGRenderer,
]);

/** One chart; a click on a data point calls onClick with its index. */
export function EChart({
  option,
  height = 280,
  label,
  onClick,
}: {
  option: EChartsCoreOption;
  height?: number;
  label: string;
  onClick?: (dataIndex: number, seriesIndex: number) => void;
}) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ aria: { enabled: true }, ...option }}
        style={{ height }}
        opts={{ renderer: 'svg', locale: 'ZH' }}
        notMerge
        onEvents={
          onClick
            ? {
                click: (p: { dataIndex: number; seriesIndex: number }) =>
                  onClick(p.dataIndex, p.seriesIndex),
              }
            : undefined
        }
      />
    </div>
  );
}
